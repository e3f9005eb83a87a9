"""HS subheading, commodity form and unit suggested from a product's name (``selectors``),
read word by word against the kamus (``words``) and an index of the HS descriptions, commodity
terms and verified products (``index``)."""
