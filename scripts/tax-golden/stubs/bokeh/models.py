class PrintfTickFormatter: pass
