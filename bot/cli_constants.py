"""What the command line's parser and its commands share: exit codes and action names.

Standard library only: the parser imports it at start-up (``paraaf --help`` stays fast).
"""

from __future__ import annotations

EXIT_OK, EXIT_BROKEN, EXIT_INPUT, EXIT_UNAVAILABLE = 0, 1, 2, 3

ACTIONS = {
    # English code names and the Dutch verbs users know.
    "advise": "advise", "advies": "advise", "adviseren": "advise",
    "initial": "initial", "paraferen": "initial", "paraaf": "initial",
    "approve": "approve", "accorderen": "approve", "accord": "approve",
    "decide": "decide", "besluiten": "decide", "besluit": "decide",
    "sign": "sign", "ondertekenen": "sign",
    "acknowledge": "acknowledge", "kennisnemen": "acknowledge", "kennisname": "acknowledge",
    "return": "return", "terugsturen": "return",
    "reject": "reject", "afwijzen": "reject",
    "withdraw": "withdraw", "intrekken": "withdraw",
    "comment": "comment", "opmerking": "comment",
    "delegate": "delegate", "delegeren": "delegate",
    "reassign": "reassign", "herverdelen": "reassign",
    "due": "due", "termijn": "due",
}
