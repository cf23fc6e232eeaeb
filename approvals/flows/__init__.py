"""Flow definitions: the model (definition), reading and writing YAML (yaml_io), the checks
a flow must pass before it is published, its stage graph (nodes) and conditions.

Re-exports nothing: import from the module that defines a name.
"""
