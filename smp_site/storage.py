from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with `import` paths inside JavaScript
    modules rewritten to the hashed names too (site.mjs imports GOV.UK
    Frontend's module)."""

    support_js_module_import_aggregation = True
