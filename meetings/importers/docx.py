"""
Minutes typed in Word (.docx): read paragraph by paragraph (a line break
inside a paragraph stays a line break, tables row by row) and parsed as text.
"""

import docx

from .text import parse_text


def docx_text(source):
    """The text of a .docx file (a path or a file object), one line a paragraph."""
    document = docx.Document(source)
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(docx.text.paragraph.Paragraph(block, document).text)
        elif tag == "tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                lines.append(", ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
            lines.append("")
    return "\n".join(lines)


def parse_docx(source):
    return parse_text(docx_text(source))
