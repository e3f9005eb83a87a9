"""Forums: events where exporters and buyers meet regional governments and BUMDes (issue #6).

Imported by ``matchmaking.models`` so Django registers these models with the app.
"""
