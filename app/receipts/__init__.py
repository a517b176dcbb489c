"""Receipts read on the device: total, date and vendor proposed from a photo, offline.

:func:`app.receipts.engine.read_receipt` runs OCR (the optional ``crewkit[ocr]`` extra) and
:mod:`app.receipts.extract` turns its text lines into proposals a person confirms.
"""
