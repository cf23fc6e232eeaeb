"""The Teams channel: the HTTP server and its routes, the Bot Framework front door (token
checks, the botbuilder gateway), activity routing, card invokes and their input, chats,
delivery of notifications, the card views and the local Playground's helpers.
"""
