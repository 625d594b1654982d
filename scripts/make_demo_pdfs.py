"""生成演示用的 PDF 附件：几份政策文件的签发原件和一份附件表格。

    .venv/bin/python scripts/make_demo_pdfs.py [content 目录]

原件的正文取自 content/policy/ 下对应 Markdown 文件，按党政机关公文格式
（红头、发文字号、标题、正文、版记、页码）排版；附件表格的数据写在本脚本中，
只出现在 PDF 里。字体使用 reportlab 内置的 CID 字体 STSong-Light，无需下载；
``invariant=1`` 使同样的输入每次生成逐字节相同的文件。
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

rl_config.invariant = 1
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

RED = colors.HexColor("#C00000")
CREATOR = "示例市人民政府门户网站"

# 签发原件：Markdown 源文件 -> PDF；红头文字；版记（抄送、印发机关）
ORIGINALS = [
    {
        "source": "policy/shizhengfa-2024-12.md",
        "output": "attachments/2024/shizhengfa-2024-12.pdf",
        "header": "示例市人民政府文件",
        "copy_to": "市委各部门，市人大常委会办公室，市政协办公室，市监委，市法院，市检察院，示例军分区。",
        "printed_by": "示例市人民政府办公室",
        "printed_on": "2024年3月1日印发",
    },
    {
        "source": "policy/shizhengfa-2024-20.md",
        "output": "attachments/2024/shizhengfa-2024-20.pdf",
        "header": "示例市人民政府文件",
        "copy_to": "市委各部门，市人大常委会办公室，市政协办公室，市监委，市法院，市检察院。",
        "printed_by": "示例市人民政府办公室",
        "printed_on": "2024年5月16日印发",
    },
    {
        "source": "policy/shizhengbanfa-2025-7.md",
        "output": "attachments/2025/shizhengbanfa-2025-7.pdf",
        "header": "示例市人民政府办公室文件",
        "copy_to": "市委办公室，市人大常委会办公室，市政协办公室。",
        "printed_by": "示例市人民政府办公室",
        "printed_on": "2025年3月24日印发",
    },
    {
        "source": "policy/shifagaifa-2026-8.md",
        "output": "attachments/2026/shifagaifa-2026-8.pdf",
        "header": "示例市发展和改革委员会文件",
        "copy_to": "市人民政府办公室，市自然资源和规划局，市生态环境局，市住房城乡建设局，市统计局。",
        "printed_by": "示例市发展和改革委员会办公室",
        "printed_on": "2026年3月2日印发",
    },
]

TABLE_OUTPUT = "attachments/2026/shifagaifa-2026-8-fujian.pdf"
TABLE_HEADING = "附表　示例市2026年市级领导联系重大建设项目分季度投资调度明细表"

# (项目名称, 建设单位, 建设性质, 总投资, 2026年计划投资)，单位：亿元
PROJECTS = [
    ("示例市高端装备制造产业园二期", "示例市城市发展投资集团有限公司", "续建", 48.6, 12.0),
    ("年产20万吨特种功能材料项目", "示例新材料科技有限公司", "新开工", 35.2, 9.5),
    ("示例市新能源汽车零部件产业基地", "示例汽车零部件有限公司", "续建", 42.0, 11.6),
    ("食品精深加工产业园", "示例市农业发展集团有限公司", "续建", 18.5, 5.2),
    ("示例数字经济产业园", "示例市数字产业投资有限公司", "新开工", 26.8, 6.8),
    ("生物医药创新中心", "示例生物医药有限公司", "续建", 21.3, 6.1),
    ("智能家电生产基地技术改造", "示例电器股份有限公司", "续建", 12.4, 4.3),
    ("现代物流园区一期", "示例物流集团有限公司", "新开工", 16.9, 4.7),
    ("示例港区5万吨级码头工程", "示例港务集团有限公司", "续建", 29.5, 8.2),
    ("示例至东岭高速公路", "示例交通投资集团有限公司", "续建", 86.4, 21.5),
    ("城市快速路三期", "示例市城市建设投资有限公司", "新开工", 38.7, 9.8),
    ("示例北站综合交通枢纽", "示例交通投资集团有限公司", "续建", 31.2, 7.4),
    ("示例市第二水厂扩建工程", "示例市水务集团有限公司", "续建", 9.8, 3.6),
    ("城北片区雨污分流改造", "示例市水务集团有限公司", "续建", 7.6, 2.9),
    ("城区燃气老旧管道更新改造", "示例燃气有限公司", "续建", 5.4, 2.2),
    ("220千伏输变电工程（4项）", "国网示例供电公司", "新开工", 12.8, 4.1),
    ("集中供热管网互联互通工程", "示例热力有限公司", "新开工", 6.3, 2.4),
    ("河东片区老旧小区改造（42个）", "示例市河东区人民政府", "续建", 8.9, 3.1),
    ("历史文化街区保护修缮工程", "示例市文化旅游投资有限公司", "续建", 11.2, 3.3),
    ("城市绿道和口袋公园建设工程", "示例市园林绿化中心", "新开工", 4.6, 1.8),
    ("保障性租赁住房（3200套）", "示例市安居集团有限公司", "续建", 13.5, 4.0),
    ("示例市人民医院新院区", "示例市人民医院", "续建", 24.8, 6.5),
    ("市疾病预防控制中心迁建", "示例市疾病预防控制中心", "新开工", 5.9, 2.0),
    ("示例职业技术学院新校区", "示例职业技术学院", "续建", 19.6, 5.4),
    ("中小学新建改扩建工程（12所）", "示例市教育局", "续建", 14.2, 4.6),
    ("市养老服务中心", "示例市民政局", "新开工", 3.8, 1.5),
    ("全民健身中心", "示例市体育局", "新开工", 6.7, 2.1),
    ("示例水库除险加固工程", "示例市水利局", "续建", 4.2, 1.9),
]
QUARTER_SHARES = (0.20, 0.30, 0.30, 0.20)

DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=14, leading=23, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=28)
    return {
        "body": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "heading": ParagraphStyle("heading", parent=base, firstLineIndent=28, spaceBefore=4),
        "doc_title": ParagraphStyle("doc_title", parent=base, fontSize=20, leading=32, alignment=TA_CENTER,
                                    firstLineIndent=0, spaceBefore=18, spaceAfter=18),
        "sub_title": ParagraphStyle("sub_title", parent=base, fontSize=17, leading=28, alignment=TA_CENTER,
                                    firstLineIndent=0, spaceBefore=12, spaceAfter=8),
        "red_head": ParagraphStyle("red_head", parent=base, fontSize=30, leading=40, alignment=TA_CENTER,
                                   firstLineIndent=0, textColor=RED),
        "doc_no": ParagraphStyle("doc_no", parent=base, alignment=TA_CENTER, firstLineIndent=0, spaceBefore=24),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, firstLineIndent=0, rightIndent=28),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=14, firstLineIndent=0,
                               alignment=TA_CENTER),
        "cell_left": ParagraphStyle("cell_left", parent=base, fontSize=10.5, leading=14, firstLineIndent=0,
                                    alignment=0),
        "note": ParagraphStyle("note", parent=base, fontSize=12, leading=20, firstLineIndent=0),
    }


def read_markdown(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=yaml.BaseLoader), body


def md_table(lines: list[str], st) -> Table:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines
            if not re.match(r"^\|?\s*:?-{3,}", line.strip())]
    data = [[Paragraph(escape(c), st["cell"]) for c in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def body_flowables(body: str, meta: dict, st) -> list:
    """Markdown body -> flowables; the issuer name and the date after it are the signature."""
    out: list = []
    blocks = re.split(r"\n\s*\n", body.strip())
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            out += [Spacer(1, 4), md_table(lines, st), Spacer(1, 8)]
            continue
        if len(lines) == 2 and lines[0].strip() == meta["issuer"] and DATE_LINE.match(lines[1].strip()):
            out.append(Spacer(1, 24))
            out.append(KeepTogether([Paragraph(escape(lines[0].strip()), st["sign"]),
                                     Paragraph(escape(lines[1].strip()), st["sign"])]))
            out.append(Spacer(1, 12))
            continue
        for line in lines:
            line = line.strip()
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
                if re.match(r"^[一二三四五六七八九十]+、|^第[一二三四五六七八九十]+章", heading):
                    out.append(Paragraph(escape(heading), st["heading"]))
                else:
                    out.append(Paragraph(escape(heading), st["sub_title"]))
            elif line.startswith("（此件"):
                out.append(Paragraph(escape(line), st["body"]))
            elif re.match(r"^\d+\. ", line):
                out.append(Paragraph(escape(line.replace(". ", "．", 1)), st["body"]))
            elif line.endswith("：") and len(out) == 0:
                out.append(Paragraph(escape(line), st["plain"]))  # 主送机关，顶格
            else:
                out.append(Paragraph(escape(line), st["body"]))
    return out


def page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(doc.pagesize[0] / 2, 18 * mm, f"— {doc.page} —")
    canvas.restoreState()


def make_doc(path: Path, title: str, author: str, subject: str, pagesize=A4, margins=None) -> SimpleDocTemplate:
    left, right, top, bottom = margins or (28 * mm, 26 * mm, 30 * mm, 30 * mm)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SimpleDocTemplate(str(path), pagesize=pagesize, leftMargin=left, rightMargin=right,
                             topMargin=top, bottomMargin=bottom, title=title, author=author,
                             subject=subject, creator=CREATOR, producer=CREATOR, invariant=1)


def make_original(content: Path, spec: dict, st) -> Path:
    meta, body = read_markdown(content / spec["source"])
    out = content / spec["output"]
    story = [
        Paragraph(escape(spec["header"]), st["red_head"]),
        Paragraph(escape(meta["doc_no"]), st["doc_no"]),
        Spacer(1, 4),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=6),
        Paragraph(escape(meta["title"]), st["doc_title"]),
    ]
    story += body_flowables(body, meta, st)
    story += [
        Spacer(1, 20),
        HRFlowable(width="100%", thickness=1, color=colors.black, spaceAfter=4),
        Paragraph(escape("抄送：" + spec["copy_to"]), st["note"]),
        HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceBefore=4, spaceAfter=4),
        Table([[Paragraph(escape(spec["printed_by"]), st["note"]),
                Paragraph(escape(spec["printed_on"]), ParagraphStyle("r", parent=st["note"], alignment=TA_RIGHT))]],
              colWidths=["60%", "40%"]),
        HRFlowable(width="100%", thickness=1, color=colors.black, spaceBefore=4),
    ]
    doc = make_doc(out, meta["title"], meta["issuer"], meta["doc_no"])
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out


def make_project_table(content: Path, st) -> Path:
    out = content / TABLE_OUTPUT
    header = ["序号", "项目名称", "建设单位", "建设性质", "总投资", "2026年计划投资",
              "一季度", "二季度", "三季度", "四季度"]
    rows = [[Paragraph(h, st["cell"]) for h in header]]
    total = [0.0] * 6
    for n, (name, owner, kind, invest, plan) in enumerate(PROJECTS, 1):
        quarters = [round(plan * share, 1) for share in QUARTER_SHARES[:3]]
        quarters.append(round(plan - sum(quarters), 1))
        values = [invest, plan, *quarters]
        total = [round(t + v, 1) for t, v in zip(total, values)]
        rows.append([Paragraph(str(n), st["cell"]), Paragraph(escape(name), st["cell_left"]),
                     Paragraph(escape(owner), st["cell_left"]), Paragraph(kind, st["cell"])]
                    + [Paragraph(f"{v:.1f}", st["cell"]) for v in values])
    rows.append([Paragraph("合计", st["cell"]), Paragraph(f"{len(PROJECTS)}个项目", st["cell_left"]),
                 Paragraph("", st["cell"]), Paragraph("", st["cell"])]
                + [Paragraph(f"{v:.1f}", st["cell"]) for v in total])
    widths = [x * mm for x in (12, 60, 58, 22, 18, 26, 16, 16, 16, 16)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (1, -1), (3, -1)),
    ]))
    left_note = ParagraphStyle("ln", parent=st["note"], fontSize=11, leading=18)
    story = [
        Paragraph("附件", st["plain"]),
        Paragraph(escape(TABLE_HEADING), ParagraphStyle("th", parent=st["sub_title"], fontSize=16)),
        Paragraph("填报单位：示例市发展和改革委员会　　　　　　　　　　　　　　　　　　　　　　单位：亿元", left_note),
        Spacer(1, 4),
        table,
        Spacer(1, 8),
        Paragraph("说明：1．本表所列项目为市级领导联系的重大建设项目，其余项目由各县（区）按属地原则调度。"
                  "2．分季度投资为调度目标，项目责任单位应于每月5日前通过示例市重大项目管理平台报送上月完成情况。"
                  "3．建设性质中“续建”指2025年及以前开工、2026年继续建设的项目。", left_note),
    ]
    doc = make_doc(out, "附件：示例市2026年重大建设项目计划表", "示例市发展和改革委员会", "示发改发〔2026〕8号",
                   pagesize=landscape(A4), margins=(15 * mm, 15 * mm, 18 * mm, 22 * mm))
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    content = Path(argv[1]) if len(argv) > 1 else root / "content"
    st = styles()
    written = [make_original(content, spec, st) for spec in ORIGINALS]
    written.append(make_project_table(content, st))
    for path in written:
        print(path.relative_to(content))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
