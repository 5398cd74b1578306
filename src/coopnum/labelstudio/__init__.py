"""The Label Studio integration: config, offsets, tasks, push/pull, server, pre-annotation.

A leaf: only ``coopnum.cli`` imports it, so that nothing else needs the Label Studio SDK.
"""
