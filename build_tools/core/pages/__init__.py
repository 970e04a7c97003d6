"""The site's Markdown pages, listings and structured data, assembled from checked variants."""
