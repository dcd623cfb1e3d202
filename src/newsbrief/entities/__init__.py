"""Countries, organizations and fields: the entity registry, what each brief names, the
counts kept for facets and timelines, and the pages that show them."""
