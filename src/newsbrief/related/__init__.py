"""Proposals of related historical messages, other-language counterparts and category tags.

The public interface is ``proposals`` (what the desk, the command line and the API call);
``ranking`` is the one hybrid ranker the product, ``newsbrief eval`` and ``newsbrief bench``
share. See README.md.
"""
