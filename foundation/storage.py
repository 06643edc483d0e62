from storages.backends.s3 import S3Storage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with `import` paths inside JavaScript
    modules rewritten to the hashed names too (site.mjs imports GOV.UK
    Frontend's module)."""

    support_js_module_import_aggregation = True


class DocumentStorage(S3Storage):
    """Uploaded documents in an S3-compatible bucket shared by every app
    server (settings AWS_*). Objects are private: the public reaches a file
    only through a signed address that expires within a minute, made for
    each download by meetings.views.document, which refuses exempt papers."""

    def download_url(self, name, filename, content_type):
        """A signed address that makes the browser save the file (never show
        it) under `filename`, with the type the site decided on."""
        return self.url(
            name,
            parameters={
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": content_type,
            },
        )
