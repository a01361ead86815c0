"""Tools that drive the product from outside (pathways loadtest, the export benchmark); never imported by serve."""
