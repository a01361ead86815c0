"""The domain core of Pathways: protocols, a live session's run state, answers and who may see them.

Plain Python only: nothing here imports Flask, Socket.IO or the storage layer.
"""
