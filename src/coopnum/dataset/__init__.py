"""The build of dataset/: config registry, rows, features, card, DATASHEET.md, Croissant.

Every published config is one registry entry; the build streams the corpus through it in chunks of documents and
writes Parquet, and the card, the datasheet and the Croissant file are rendered from the figures it computed.
"""
