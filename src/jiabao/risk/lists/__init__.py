"""Watch lists (名单): file formats, versioned storage."""
