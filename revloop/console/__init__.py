"""The operator console: pages over the projections, forms that produce events.

    app = create_app(settings, reader, sink)      # revloop.console.app

Reads go through a read-only projection reader (revloop.projections.reader); writes are only
events, through the sink (a Kafka producer in production). Nothing here edits a projection.
"""
