def figure(*a, **k): raise RuntimeError('bokeh stub')
