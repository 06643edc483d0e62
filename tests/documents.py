"""Real documents of every accepted type, built in the tests, and the fakes
that only look like them, for the upload checks."""

import io
import struct
import zipfile


def pdf_bytes(pages=1):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf_bytes(text):
    """A one-page PDF with `text` in the standard Helvetica font."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def numbered_report(name, pages):
    """An upload of a PDF report whose pages say "<name>, page <n>"."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from fpdf import FPDF

    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=14)
        pdf.cell(0, 10, f"{name}, page {number}")
    return SimpleUploadedFile(f"{name}.pdf", bytes(pdf.output()), content_type="application/pdf")


def docx_bytes(text="The Partnership noted the report."):
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def package(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def ooxml_bytes(main_part, content_type):
    """The smallest package Office itself would recognise: a manifest
    naming the main part, the package relationships and the main part."""
    return package(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{main_part}" ContentType="{content_type}"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/officeDocument" Target="{main_part}"/>'
                "</Relationships>"
            ),
            main_part: '<?xml version="1.0" encoding="UTF-8"?><root/>',
        }
    )


def pptx_bytes():
    return ooxml_bytes(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )


def xlsx_bytes():
    return ooxml_bytes(
        "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )


def odt_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # ODF: the first part, stored uncompressed, names the type.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr(
            "content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED
        )
    return out.getvalue()


def ole2_bytes(stream_name="WordDocument"):
    """A compound file (the old Word, Excel and PowerPoint container) with one
    4 KB stream: sector 0 holds the allocation table, sector 1 the
    directory, sectors 2 to 9 the stream."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = [fat_sector, end, *range(3, 10), end] + [free] * 118
    fat_bytes = struct.pack("<128I", *fat)

    def entry(name, kind, child, start, size):
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1 if name else 0)
            + struct.pack("<III", no_stream, no_stream, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<III", start, size, 0)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream_name, 2, no_stream, 2, 4096)
        + entry("", 0, no_stream, 0, 0) * 2
    )
    return header + fat_bytes + directory + b"x" * 4096


def zip_bomb_docx(unpacked_mb=200):
    """A real Word document with one more part: `unpacked_mb` megabytes of
    zeros, which deflate to a few hundred kilobytes."""
    out = io.BytesIO(docx_bytes())
    zeros = b"\x00" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/media/image1.bin", "w") as part,
    ):
        for _ in range(unpacked_mb):
            part.write(zeros)
    return out.getvalue()


def renamed_zip():
    return package({"notes.txt": "Not a Word document at all."})


HTML_STARTING_WITH_PDF = (
    b"%PDF-1.7\n<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
)
