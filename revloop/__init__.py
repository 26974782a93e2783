"""revloop: an event-sourced revenue-operations agent.

Subpackages follow the design's layout: schemas (the event contract),
processors (pure rules), streams (Kafka, Faust, CLI), projections (stores),
connectors (Gmail, Resend, webhooks, secrets).
"""
__version__ = "0.2.0"
