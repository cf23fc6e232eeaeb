"""Word documents: reading the comments of a .docx (with bounded XML parsing) and caching
them. An adapter support package: pure standard library, used by the document adapters
(local/, graph/); it imports only the approvals ports and types.
"""
