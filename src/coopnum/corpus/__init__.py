"""The raw corpus, its cleaning rules with a line-by-line audit, and the splits by document.

``sources`` reads the byte-exact scrapes and their sources metadata; ``clean`` decides every raw line by a named
rule (the line rules in ``rules``, the layout decisions in ``layout``, on the line features of ``features`` and
the dates of ``dates``; ``lines`` splits the raw text, ``document`` holds what cleaning gives); ``splits`` fixes
each document's split and fold from its id alone.
"""
