"""Stub: Tax-Calculator imports bokeh only for plots, which the golden script never draws."""
