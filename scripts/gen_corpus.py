#!/usr/bin/env python3
"""生成合成的测试内容：``scripts/gen_corpus.py N OUTDIR [--seed S] [--data DIR] [--force]``

Writes a synthetic but valid content tree of N documents for benchmarks and tests:
``OUTDIR/_data/`` copied from ``--data`` and ``OUTDIR/<type>/<nnnnn>.md`` with the
full front matter of the content model (three reviews, three proofreads, the secrecy
review and the real approval digest).

* mix: about 50% policy, 30% interpretation (each explains an earlier policy), 20% release;
* bodies are built from phrase banks of Chinese policy documents (总体要求 / 主要任务 /
  （一）… items, 各区人民政府，市政府各部门： openings, 本办法自…起施行 closings,
  numbers, dates, occasional Markdown tables); the body size is lognormal with a median of
  about 5 KB of UTF-8 and a tail clipped at 300 KB;
* deterministic for a seed; 14,000 documents (about 120 MB) take about 20 s.

The core is :func:`generate`, importable by tests and ``scripts/bench.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govportal.digest import document_digest  # noqa: E402
from govportal.frontmatter import parse_file  # noqa: E402
from govportal.identifiers import INDEX_NO  # noqa: E402
from govportal.vocab import Column, load_vocab  # noqa: E402

MEDIAN_BYTES = 5 * 1024
SIGMA = 1.05  # lognormal shape: p90 ≈ 19 KB, the largest of 14,000 ≈ 300 KB
MIN_BYTES = 600
MAX_BYTES = 300 * 1024
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
TODAY = LAST_DAY  # fixed, so that 有效性 does not depend on when the corpus is made
MIX = (("policy", 0.5), ("interpretation", 0.3), ("release", 0.2))
DIGEST_PLACEHOLDER = "sha256:pending"


def default_data_dir() -> Path:
    content = ROOT / "content" / "_data"
    return content if (content / "site.yml").exists() else ROOT / "tests" / "fixtures" / "site" / "_data"


# ---- phrase banks ---------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五, 1010 -> 一千零一十."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d:
            if zero:
                out += "零"
            out += CN_DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# 主题 (child name) -> subjects "……" for 关于……的通知, each with its 主题词.
SUBJECTS: dict[str, list[tuple[str, list[str]]]] = {
    "营商环境": [("优化营商环境", ["营商环境", "市场主体"]), ("激发市场主体活力", ["市场主体", "民营经济"]),
             ("降低企业制度性交易成本", ["减负降本", "营商环境"]), ("促进民营经济高质量发展", ["民营经济", "高质量发展"])],
    "政务公开": [("全面推进政务公开", ["政务公开", "政府信息公开"]), ("做好政府信息主动公开", ["政府信息公开", "主动公开"]),
             ("规范依申请公开办理", ["依申请公开", "政务公开"]), ("加强政策解读和回应关切", ["政策解读", "回应关切"])],
    "政务服务": [("推进政务服务“一网通办”", ["一网通办", "政务服务"]), ("推行政务服务事项“跨省通办”", ["跨省通办", "政务服务"]),
             ("提升12345政务服务便民热线服务质效", ["12345热线", "便民服务"]), ("深化“一件事一次办”改革", ["一件事一次办", "政务服务"])],
    "应急管理": [("加强突发事件应急预案管理", ["应急预案", "应急管理"]), ("提升基层应急管理能力", ["基层治理", "应急管理"]),
             ("做好防汛抗旱工作", ["防汛抗旱", "应急管理"])],
    "政务督查": [("加强重点工作督查检查", ["督查检查", "政务督查"]), ("规范督查检查考核工作", ["督查考核", "基层减负"])],
    "其他": [("加强机关事务管理", ["机关事务", "节约型机关"]), ("规范公文处理工作", ["公文处理", "机关运行"])],
    "发展规划": [("编制国民经济和社会发展规划纲要", ["发展规划", "规划纲要"]), ("加强专项规划管理", ["专项规划", "规划管理"])],
    "宏观经济": [("推动经济稳进提质", ["经济运行", "稳增长"]), ("扩大有效投资", ["有效投资", "稳增长"]),
             ("促进消费持续恢复", ["促消费", "内需"])],
    "经济体制改革": [("深化重点领域改革", ["体制改革", "改革攻坚"]), ("完善要素市场化配置体制机制", ["要素市场", "市场化改革"])],
    "重大项目": [("加快推进重大项目建设", ["重大项目", "项目建设"]), ("加强重大项目要素保障", ["要素保障", "重大项目"])],
    "统计": [("加强统计数据质量管理", ["统计数据", "数据质量"]), ("做好全国经济普查", ["经济普查", "统计调查"])],
    "国有资产监管": [("深化市属国有企业改革", ["国有企业", "国资国企改革"]), ("加强国有资产监督管理", ["国有资产", "资产监管"])],
    "财政": [("加强财政预算管理", ["预算管理", "财政资金"]), ("规范财政专项资金管理", ["专项资金", "资金管理"]),
           ("推进预算绩效管理", ["绩效管理", "财政支出"])],
    "税收": [("落实结构性减税降费政策", ["减税降费", "税收优惠"]), ("优化税费服务", ["纳税服务", "税费"])],
    "金融": [("加强普惠金融服务", ["普惠金融", "小微企业"]), ("防范化解地方金融风险", ["金融风险", "地方金融"]),
           ("支持企业上市挂牌", ["企业上市", "资本市场"])],
    "审计": [("加强审计整改工作", ["审计整改", "审计监督"]), ("做好经济责任审计", ["经济责任审计", "审计"])],
    "政府采购": [("优化政府采购营商环境", ["政府采购", "营商环境"]), ("规范政府采购活动", ["政府采购", "采购管理"])],
    "土地": [("推进节约集约用地", ["节约集约用地", "土地利用"]), ("规范国有建设用地供应", ["建设用地", "土地供应"])],
    "矿产": [("加强矿产资源开发管理", ["矿产资源", "绿色矿山"])],
    "能源": [("推进能源绿色低碳转型", ["绿色低碳", "能源结构"]), ("加快充电基础设施建设", ["充电设施", "新能源汽车"])],
    "农业农村": [("全面推进乡村振兴", ["乡村振兴", "农业农村"]), ("加强高标准农田建设", ["高标准农田", "粮食安全"]),
             ("促进农民增收", ["农民增收", "农村集体经济"])],
    "林业": [("全面推行林长制", ["林长制", "森林资源"]), ("加强森林防火工作", ["森林防火", "林业"])],
    "水利": [("全面推行河湖长制", ["河湖长制", "水生态"]), ("加强农村供水保障", ["农村供水", "饮水安全"])],
    "工业": [("推动制造业高质量发展", ["制造业", "高质量发展"]), ("支持专精特新中小企业发展", ["专精特新", "中小企业"]),
           ("推进工业企业技术改造", ["技术改造", "工业投资"])],
    "信息化": [("加快数字政府建设", ["数字政府", "政务数据"]), ("推进5G网络建设和应用", ["5G", "新型基础设施"]),
            ("加强公共数据资源管理", ["公共数据", "数据共享"])],
    "交通运输": [("加快综合交通运输体系建设", ["综合交通", "交通运输"]), ("推进城市公共交通优先发展", ["公共交通", "公交优先"])],
    "国内贸易": [("促进商贸流通业发展", ["商贸流通", "消费"]), ("加快县域商业体系建设", ["县域商业", "农村电商"])],
    "对外经贸合作": [("推动外贸稳规模优结构", ["外贸", "进出口"]), ("做好稳外资工作", ["外资", "招商引资"])],
    "旅游": [("推动文化和旅游深度融合发展", ["文旅融合", "旅游"]), ("促进乡村旅游发展", ["乡村旅游", "旅游业"])],
    "市场监管": [("深化商事制度改革", ["商事制度", "市场准入"]), ("推行“双随机、一公开”监管", ["双随机一公开", "事中事后监管"]),
             ("加强质量强市建设", ["质量强市", "标准化"])],
    "食品药品监管": [("加强食品安全工作", ["食品安全", "餐饮服务"]), ("加强药品安全监管", ["药品安全", "药品监管"])],
    "安全生产": [("加强安全生产工作", ["安全生产", "隐患排查"]), ("开展安全生产治本攻坚三年行动", ["安全生产", "治本攻坚"])],
    "城乡规划": [("加强国土空间规划管理", ["国土空间规划", "规划管理"]), ("推进城市更新", ["城市更新", "老旧小区"])],
    "城市建设": [("推进城镇老旧小区改造", ["老旧小区改造", "城市更新"]), ("加强城市地下管网建设", ["地下管网", "城市建设"]),
             ("推进海绵城市建设", ["海绵城市", "城市建设"])],
    "住房保障": [("加快发展保障性租赁住房", ["保障性租赁住房", "住房保障"]), ("完善住房保障体系", ["住房保障", "公租房"])],
    "物业管理": [("加强住宅小区物业管理", ["物业管理", "住宅小区"]), ("规范住宅专项维修资金管理", ["维修资金", "物业管理"])],
    "生态环境": [("深入打好污染防治攻坚战", ["污染防治", "生态环境"]), ("加强大气污染防治", ["大气污染", "蓝天保卫战"]),
             ("推进生活垃圾分类", ["垃圾分类", "生态文明"])],
    "科技": [("加快科技创新平台建设", ["科技创新", "创新平台"]), ("支持企业加大研发投入", ["研发投入", "科技型企业"]),
           ("促进科技成果转化", ["成果转化", "科技创新"])],
    "基础教育": [("推进义务教育优质均衡发展", ["义务教育", "教育均衡"]), ("规范中小学招生入学工作", ["招生入学", "义务教育"]),
             ("加快学前教育普及普惠发展", ["学前教育", "普惠性幼儿园"])],
    "职业教育": [("推动现代职业教育高质量发展", ["职业教育", "产教融合"]), ("深化产教融合校企合作", ["产教融合", "校企合作"])],
    "文化": [("推进公共文化服务体系建设", ["公共文化服务", "文化惠民"]), ("加强文物保护利用", ["文物保护", "文化遗产"])],
    "广播影视": [("推进应急广播体系建设", ["应急广播", "广播电视"])],
    "新闻出版": [("推进全民阅读", ["全民阅读", "书香城市"])],
    "卫生健康": [("推进健康城市建设", ["健康城市", "卫生健康"]), ("加强基层医疗卫生服务能力建设", ["基层医疗", "卫生健康"]),
             ("推动公立医院高质量发展", ["公立医院", "医疗改革"])],
    "医疗保障": [("完善城乡居民基本医疗保险制度", ["基本医疗保险", "医疗保障"]), ("推进医保支付方式改革", ["医保支付", "医疗保障"])],
    "体育": [("推进全民健身", ["全民健身", "体育设施"]), ("促进体育产业发展", ["体育产业", "体育消费"])],
    "人口": [("促进人口长期均衡发展", ["人口发展", "生育支持"])],
    "托育服务": [("促进3岁以下婴幼儿照护服务发展", ["婴幼儿照护", "托育服务"]), ("发展普惠托育服务", ["普惠托育", "托育服务"])],
    "妇女儿童": [("实施妇女儿童发展规划", ["妇女儿童", "儿童友好"]), ("推进儿童友好城市建设", ["儿童友好", "妇女儿童"])],
    "就业创业": [("做好高校毕业生等重点群体就业", ["高校毕业生", "稳就业"]), ("支持返乡入乡创业", ["返乡创业", "就业创业"]),
             ("加强职业技能培训", ["技能培训", "就业"])],
    "社会保障": [("完善城乡居民基本养老保险制度", ["养老保险", "社会保障"]), ("推进全民参保计划", ["全民参保", "社会保险"])],
    "人事工作": [("做好事业单位公开招聘", ["公开招聘", "事业单位"]), ("加强公务员队伍建设", ["公务员", "干部队伍"])],
    "劳动关系": [("根治拖欠农民工工资", ["农民工工资", "欠薪治理"]), ("构建和谐劳动关系", ["劳动关系", "劳动保障"])],
    "公安": [("加强社会治安防控体系建设", ["社会治安", "平安建设"]), ("深化户籍制度改革", ["户籍制度", "落户"])],
    "司法": [("加强公共法律服务体系建设", ["公共法律服务", "法律援助"]), ("推进人民调解工作", ["人民调解", "矛盾纠纷"])],
    "法治政府": [("加强行政规范性文件制定和监督管理", ["规范性文件", "合法性审核"]), ("全面推行行政执法“三项制度”", ["行政执法", "法治政府"])],
    "社会救助": [("健全分层分类社会救助体系", ["社会救助", "低保"]), ("做好困难群众基本生活保障", ["困难群众", "兜底保障"])],
    "养老服务": [("推进基本养老服务体系建设", ["养老服务", "居家养老"]), ("发展银发经济", ["银发经济", "养老服务"])],
    "减灾救灾": [("加强自然灾害防治能力建设", ["防灾减灾", "自然灾害"])],
    "社区建设": [("加强城乡社区治理", ["社区治理", "基层治理"]), ("推进完整社区建设", ["完整社区", "社区服务"])],
}
GENERIC_SUBJECTS = [("加强{t}工作", ["{t}"]), ("推进{t}高质量发展", ["{t}", "高质量发展"]),
                    ("规范{t}管理", ["{t}", "规范管理"]), ("完善{t}工作机制", ["{t}", "工作机制"])]

# 发文机关 name fragments -> the 主题 (top level) they usually issue on.
ISSUER_TOPICS = {
    "发展和改革": ("国民经济管理", "国土资源、能源", "工业、交通", "商贸"),
    "财政": ("财政、金融、审计",),
    "教育": ("科技、教育",),
    "人力资源和社会保障": ("劳动、人事、监察",),
    "住房和城乡建设": ("城乡建设、环境保护",),
    "市场监督管理": ("市场监管、安全生产监管", "综合政务"),
    "卫生健康": ("卫生、体育", "人口与计划生育、妇女儿童工作"),
    "民政": ("民政、扶贫、救灾",),
}

GENRES_NOTICE = ["通知", "实施意见", "意见", "若干措施", "指导意见", "若干意见"]
GENRES_RULES = ["暂行办法", "实施办法", "若干规定"]  # after a subject: 示例市规范政府采购活动暂行办法
GENRES_RULES_NOUN = ["管理办法", "管理规定"]  # after a keyword: 示例市政府采购管理办法
SHORT_NAMES = (("办法", "办法"), ("细则", "细则"), ("规定", "规定"), ("方案", "方案"), ("计划", "计划"),
               ("要点", "要点"), ("意见", "意见"), ("措施", "措施"), ("通知", "通知"))
PLANS = ["实施方案", "三年行动计划（{y}—{y2}年）", "工作方案", "专项行动方案", "工作要点", "管理办法", "行动方案"]

SECTION_TITLES = [
    "提升政务服务效能", "强化要素保障", "优化市场环境", "加强监管执法", "推动产业转型升级", "完善公共服务体系",
    "深化改革创新", "加强基础设施建设", "强化科技支撑", "加强人才队伍建设", "推进数字化转型", "健全长效机制",
    "加大政策支持力度", "推动区域协调发展", "强化安全保障", "推进绿色低碳发展", "扩大开放合作", "加强宣传引导",
    "夯实基层基础", "提升治理能力", "促进融合发展", "完善评价体系",
]
TASKS = [
    "推进“一网通办”", "加大财政支持力度", "完善政策体系", "健全工作机制", "优化审批流程", "压减办理时限",
    "强化要素保障", "落实属地管理责任", "推动数据共享", "加强事中事后监管", "建立常态化沟通机制", "深化“放管服”改革",
    "提升公共服务水平", "加强人才队伍建设", "开展专项整治行动", "推行“双随机、一公开”监管", "实施包容审慎监管",
    "降低制度性交易成本", "推进社会信用体系建设", "拓宽融资渠道", "加强用地保障", "完善价格形成机制",
    "推行告知承诺制", "推进“互联网+监管”", "加强风险监测预警", "健全投诉举报机制", "强化示范引领",
    "加强统筹协调", "完善考核评价", "加大宣传培训力度", "推动标准化建设", "支持龙头企业做大做强",
    "培育新兴产业集群", "加快项目落地", "优化资源配置", "保障群众合法权益", "推进“高效办成一件事”",
]
LEADS = [
    "坚持以人民为中心的发展思想", "坚持问题导向和目标导向", "坚持系统观念", "按照“放管服”改革要求",
    "围绕高质量发展目标", "聚焦企业和群众关切", "立足本市实际", "以数字化改革为牵引", "对标国内先进城市",
    "按照“十四五”规划部署", "坚持稳中求进工作总基调", "坚持统筹发展和安全", "按照“谁主管、谁负责”的原则",
    "坚持依法行政", "坚持政府引导、市场主导",
]
ACTIONS = [
    "推动政务服务事项“一网通办”", "加大财政资金统筹力度", "完善配套政策措施", "健全部门协同联动机制",
    "优化办事流程和申请材料", "压减审批环节和办理时限", "强化用地、用能、资金等要素保障", "落实行业主管部门监管责任",
    "推进政务数据共享和业务协同", "加强事中事后监管", "建立问题收集和反馈机制", "深化“放管服”改革",
    "提升基本公共服务均等化水平", "加强专业人才引进和培养", "开展常态化督查检查", "推行“双随机、一公开”监管",
    "对轻微违法行为依法不予行政处罚", "清理规范涉企收费", "建立守信激励和失信惩戒机制", "引导金融机构加大信贷投放",
    "落实首问负责、一次性告知等制度", "推行容缺受理和告知承诺", "完善信息公开和政策解读", "加强跟踪评估和动态调整",
    "建立重点项目清单管理制度", "实行挂图作战和销号管理", "畅通诉求表达渠道", "加强部门间信息互通",
]
RESULTS = [
    "切实增强企业和群众的获得感", "形成可复制可推广的经验做法", "确保各项任务落地见效",
    "为全市经济社会高质量发展提供有力支撑", "不断提升治理体系和治理能力现代化水平", "推动工作提质增效",
    "营造公平竞争的市场环境", "切实减轻企业和群众负担", "守住安全发展底线", "实现办事“最多跑一次”",
    "确保政策红利直达快享", "持续擦亮政务服务品牌",
]
METRICS = [
    ("政务服务事项网上可办率达到{p}%以上", "p"), ("企业开办时间压缩至{d}个工作日以内", "d"),
    ("全年新增市场主体{w}万户", "w"), ("对符合条件的项目给予最高{m}万元补助", "m"),
    ("审批时限平均压缩{p}%", "p"), ("群众满意度保持在{p}%以上", "p"), ("新增城镇就业{w}万人", "w"),
    ("按实际投资额的{q}%给予奖励，单个项目最高不超过{m}万元", "m"), ("办结时限不超过{d}个工作日", "d"),
    ("覆盖率达到{p}%", "p"), ("累计培育{w}0家以上示范单位", "w"),
]
DEPARTMENTS = [
    "市发展改革委", "市财政局", "市教育局", "市人力资源社会保障局", "市住房城乡建设局", "市市场监管局",
    "市卫生健康委", "市民政局", "市政务服务管理局", "市大数据局", "市自然资源和规划局", "市生态环境局",
    "市交通运输局", "市农业农村局", "市商务局", "市文化和旅游局", "市应急管理局", "市税务局", "市司法局",
    "市公安局", "市科技局", "市工业和信息化局", "市地方金融管理局",
]
LAWS = [
    "《中华人民共和国行政许可法》", "《优化营商环境条例》", "《中华人民共和国政府信息公开条例》",
    "《中华人民共和国预算法》", "《重大行政决策程序暂行条例》", "《中华人民共和国安全生产法》",
    "《中华人民共和国行政处罚法》", "《中华人民共和国招标投标法》", "《社会救助暂行办法》",
]
LEADERS = ["市长王立新", "常务副市长李志远", "副市长陈晓东", "副市长刘芳", "副市长孙建明", "市政府秘书长赵建华"]
EVENTS = ["工作推进会", "专题会议", "工作部署会", "现场观摩会", "工作座谈会", "调度会", "新闻发布会"]
NEWS_VERBS = ["会议指出", "会议强调", "会议要求", "会上", "据介绍", "下一步"]
TABLE_NAMES = ["重点任务分工表", "政务服务事项清单", "资金安排表", "责任清单", "行政权力事项目录", "项目明细表"]
ITEM_NAMES = ["企业设立登记", "建设工程规划许可", "食品经营许可", "社会保障卡申领", "公共场所卫生许可",
              "医师执业注册", "道路运输经营许可", "城镇污水排入排水管网许可", "民办学校设立审批", "药品零售许可",
              "不动产登记", "施工许可证核发", "户口迁移", "职业技能等级认定", "养老机构备案", "排污许可证核发"]


# ---- the corpus -----------------------------------------------------------------------


class FastRandom(random.Random):
    """random.Random with choice/randint built on random(): about twice as fast, still seeded."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


@dataclass
class Policy:
    index_no: str
    doc_no: str
    title: str
    inner: str  # the document's own name, for 《》 in interpretations
    keywords: list[str]
    issuer: str
    topic: str
    date: dt.datetime
    interpreted: int = 0


@dataclass
class Stats:
    sizes: list[int] = field(default_factory=list)  # body bytes, in file order
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # relative paths
    seconds: float = 0.0

    def percentile(self, q: float) -> int:
        s = sorted(self.sizes)
        return s[min(len(s) - 1, int(q * len(s)))] if s else 0

    @property
    def median(self) -> float:
        return statistics.median(self.sizes) if self.sizes else 0

    def summary(self) -> str:
        kb = lambda b: f"{b / 1024:.1f} KB"  # noqa: E731
        mix = ", ".join(f"{t} {c}" for t, c in self.counts.items())
        return (f"generated {len(self.sizes)} documents ({mix}) in {self.seconds:.1f} s; "
                f"body size median {kb(self.median)}, p90 {kb(self.percentile(0.9))}, max {kb(max(self.sizes, default=0))}, "
                f"total {sum(self.sizes) / 1024 / 1024:.1f} MB")


# YAML plain scalars that load back as the same string with govportal's StrictLoader.
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^#,\[\]{}\"']*$")
_NOT_STR = re.compile(r"^(?:[-+]?\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|true|false|null|~|\.nan|\.inf)$", re.I)


def yaml_str(value: str, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain where that loads back as the same string, else quoted."""
    colon_ok = ":" not in value if flow else not (value.endswith(":") or ": " in value)
    if _PLAIN.match(value) and colon_ok and not _NOT_STR.match(value) and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_str(v, flow=True) for v in values) + "]"


def front_matter(meta: dict) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if key in ("review", "proofread"):
            lines.append(f"{key}:")
            for step, sign in value.items():
                lines.append(f"  {step}: " + "{" + ", ".join(f"{k}: {yaml_str(v, flow=True)}" for k, v in sign.items()) + "}")
        elif key == "secrecy":
            lines.append(f"{key}: " + "{" + ", ".join(f"{k}: {yaml_str(v, flow=True)}" for k, v in value.items()) + "}")
        elif isinstance(value, list):
            lines.append(f"{key}: {yaml_list(value)}")
        else:
            lines.append(f"{key}: {yaml_str(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


class Corpus:
    """One generation run: vocabularies, counters and the random stream."""

    def __init__(self, data_root: Path, seed: int):
        vocab, issues = load_vocab(data_root)
        errors = [i for i in issues if i.is_error]
        if errors:
            raise SystemExit("the vocabularies do not load:\n" + "\n".join(i.format() for i in errors))
        self.rng = FastRandom(seed)
        self.vocab = vocab
        short = str(vocab.site.get("short_name") or "示例市人民政府")
        self.city = short[:-4] if short.endswith("人民政府") else short
        self.issuers = [i for i in vocab.issuers.values() if INDEX_NO.match(f"{i.code}/2024-00001")]
        self.policy_issuers = [i for i in self.issuers if i.abbr]
        if not self.policy_issuers:
            raise SystemExit("issuers.yml needs at least one issuer with a code and an abbr")
        self.topics = [t for t in vocab.topics.values() if t.parent] or list(vocab.topics.values())
        self.columns = {t: self._leaves(root) for t, root in
                        (("policy", "政策文件"), ("interpretation", "政策解读"), ("release", "政务动态"))}
        self.signers = {step: [r.name for r in vocab.reviewers.values() if step in r.steps]
                        for step in ("review.first", "review.second", "review.final", "proofread.first",
                                     "proofread.second", "proofread.third", "secrecy")}
        for step, names in self.signers.items():
            if not names:
                raise SystemExit(f"reviewers.yml has nobody for {step}")
        self.serial: dict[tuple[str, int], int] = {}
        self.doc_serial: dict[tuple[str, int], int] = {}
        self.titles: set[str] = set()
        self.policies: list[Policy] = []
        self.reserve = 0  # bytes of the current body kept for a table added at the end

    def _leaves(self, root_name: str) -> list[str]:
        root = self.vocab.columns.get(root_name)
        if root is None:
            raise SystemExit(f"columns.yml has no column {root_name}")

        def leaves(col: Column) -> list[str]:
            return [p for c in col.children for p in leaves(c)] if col.children else [col.path]
        return leaves(root)

    # -- identifiers ----------------------------------------------------------------
    def index_no(self, issuer, year: int) -> str:
        key = (issuer.code, year)
        self.serial[key] = self.serial.get(key, 0) + self.rng.randint(1, 3)
        return f"{issuer.code}/{year}-{self.serial[key]:05d}"

    def doc_no(self, issuer, year: int) -> str:
        abbr = issuer.abbr[0] if len(issuer.abbr) == 1 or self.rng.random() < 0.8 else self.rng.choice(issuer.abbr[1:])
        key = (abbr, year)
        self.doc_serial[key] = self.doc_serial.get(key, 0) + self.rng.randint(1, 2)
        return f"{abbr}〔{year}〕{self.doc_serial[key]}号"

    def unique_title(self, make) -> tuple[str, bool]:
        """A title no other document has: (title, whether a suffix had to be added)."""
        for _ in range(40):
            title = make()
            if title not in self.titles:
                self.titles.add(title)
                return title, False
        n = 2
        while f"{title}（第{cn_number(n)}批）" in self.titles:
            n += 1
        title = f"{title}（第{cn_number(n)}批）"
        self.titles.add(title)
        return title, True

    # -- choices --------------------------------------------------------------------
    def pick_topic_issuer(self, issuers) -> tuple[str, object, str, list[str]]:
        rng = self.rng
        topic = rng.choice(self.topics)
        top = topic.parent or topic.path
        fitting = [i for i in issuers for frag, tops in ISSUER_TOPICS.items()
                   if frag in i.name and any(top.startswith(t) for t in tops)]
        general = [i for i in issuers if i.name.endswith(("人民政府", "办公室"))]
        pool = fitting * 3 + general if fitting else (general or issuers)
        issuer = rng.choice(pool)
        subjects = SUBJECTS.get(topic.name) or [(s.format(t=topic.name), [k.format(t=topic.name) for k in kws])
                                                 for s, kws in GENERIC_SUBJECTS]
        subject, kws = rng.choice(subjects)
        return topic.path, issuer, subject, list(kws)

    def policy_column(self, issuer) -> str:
        leaves = self.columns["policy"]
        if issuer.name.endswith("办公室"):
            want = [c for c in leaves if "办公室" in c]
        elif issuer.name.endswith("人民政府"):
            want = [c for c in leaves if "市政府" in c and "办公室" not in c]
        else:
            want = [c for c in leaves if "部门" in c]
        return self.rng.choice(want or leaves)

    def signoffs(self, start: dt.date, end: dt.date) -> tuple[dict, dict, dict]:
        rng = self.rng
        span = max(0, (end - start).days)
        days = sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(7))
        rf, pf, rs, ps, sec, pt, fin = (d.isoformat() for d in days)
        final = rng.choice(self.signers["review.final"])
        second = rng.choice([n for n in self.signers["review.second"] if n != final] or [None])
        first = rng.choice([n for n in self.signers["review.first"] if n not in (final, second)] or [None])
        if second is None or first is None:
            raise SystemExit("reviewers.yml cannot give three different people for the three reviews")
        review = {"first": {"by": first, "on": rf}, "second": {"by": second, "on": rs},
                  "final": {"by": final, "on": fin, "digest": DIGEST_PLACEHOLDER}}
        proofread = {"first": {"by": rng.choice(self.signers["proofread.first"]), "on": pf},
                     "second": {"by": rng.choice(self.signers["proofread.second"]), "on": ps},
                     "third": {"by": rng.choice(self.signers["proofread.third"]), "on": pt}}
        secrecy = {"by": rng.choice(self.signers["secrecy"]), "on": sec, "result": "不涉密"}
        return review, proofread, secrecy

    # -- text -----------------------------------------------------------------------
    def metric(self, year: int) -> str:
        rng = self.rng
        text, _ = rng.choice(METRICS)
        return text.format(p=rng.choice((80, 85, 90, 95, 98)), d=rng.randint(1, 15), w=rng.randint(2, 30),
                           m=rng.choice((10, 20, 50, 100, 200, 500)), q=rng.choice((5, 10, 20, 30)))

    def sentence(self, year: int) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return f"{rng.choice(LEADS)}，{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}。"
        if r < 0.55:
            y = year + rng.randint(0, 3)
            return f"到{y}年底，{self.metric(year)}，{rng.choice(ACTIONS)}。"
        if r < 0.7:
            a, b = rng.sample(ACTIONS, 2)
            return f"{a}，{b}，{rng.choice(RESULTS)}。"
        if r < 0.82:
            day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            return f"自{cn_date(day)}起，{rng.choice(ACTIONS)}，{self.metric(year)}。"
        if r < 0.92:
            return f"各区人民政府、各有关部门要{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}。"
        return f"依据{rng.choice(LAWS)}等规定，{rng.choice(ACTIONS)}。"

    def paragraph(self, year: int, n: int | None = None) -> str:
        n = n or self.rng.randint(2, 5)
        return "".join(self.sentence(year) for _ in range(n))

    def duty(self) -> str:
        lead = self.rng.sample(DEPARTMENTS, self.rng.randint(1, 3))
        return "（责任单位：" + "、".join(lead) + ("，各区人民政府" if self.rng.random() < 0.5 else "") + "）"

    def table(self, year: int, rows: int, kind: str | None = None) -> str:
        rng = self.rng
        kind = kind or rng.choice(TABLE_NAMES)
        if kind in ("政务服务事项清单", "行政权力事项目录"):
            head = "| 序号 | 事项名称 | 实施主体 | 法定时限 | 承诺时限 | 备注 |\n| --- | --- | --- | --- | --- | --- |"
            lines = [f"| {i} | {rng.choice(ITEM_NAMES)} | {rng.choice(DEPARTMENTS)} | {rng.randint(10, 30)}个工作日 | "
                     f"{rng.randint(1, 9)}个工作日 | {rng.choice(('全程网办', '一次办结', '即办件', '容缺受理'))} |"
                     for i in range(1, rows + 1)]
        elif kind in ("资金安排表", "项目明细表"):
            head = "| 序号 | 项目名称 | 资金（万元） | 责任单位 | 完成时限 |\n| --- | --- | ---: | --- | --- |"
            lines = [f"| {i} | {rng.choice(TASKS)}项目 | {rng.randint(50, 9000)} | {rng.choice(DEPARTMENTS)} | "
                     f"{year + rng.randint(0, 2)}年{rng.randint(1, 12)}月底前 |" for i in range(1, rows + 1)]
        else:
            head = "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n| --- | --- | --- | --- | --- |"
            lines = [f"| {i} | {rng.choice(ACTIONS)} | {rng.choice(DEPARTMENTS)} | "
                     f"{'、'.join(rng.sample(DEPARTMENTS, 2))} | {year + rng.randint(0, 2)}年{rng.randint(1, 12)}月底前 |"
                     for i in range(1, rows + 1)]
        return head + "\n" + "\n".join(lines)

    def fill(self, parts: list[str], size: int, budget: int, make) -> int:
        """Append ``make()`` to parts while the body stays under budget bytes (and the size cap)."""
        cap = MAX_BYTES - 1000 - self.reserve
        while size < budget:
            chunk = make()
            n = len(chunk.encode("utf-8")) + 2
            if size + n > cap:
                break
            parts.append(chunk)
            size += n
        return size

    def policy_body(self, title: str, issuer, year: int, written: dt.date, effective: dt.date | None,
                    expires: dt.date | None, target: int, rules: bool) -> str:
        rng = self.rng
        parts: list[str] = []
        if issuer.name.endswith(("人民政府", "办公室")):
            parts.append(rng.choice(["各区人民政府，市政府各部门，各有关单位：", "各区人民政府，市政府各部门、各直属机构："]))
        else:
            parts.append(rng.choice(["各区相关部门，各有关单位：", "各区主管部门，局属各单位，各有关单位："]))
        if effective:
            start = f"自{cn_date(effective)}起施行"
        else:
            start = "自印发之日起施行"
        until = f"，有效期至{cn_date(expires)}" if expires else ""
        closing = [f"本{'办法' if rules else '文件'}{start}{until}。{rng.choice(['', '此前有关规定与本文件不一致的，以本文件为准。'])}",
                   issuer.name, cn_date(written), "（此件公开发布）"]
        table_part = ""
        if target > 40 * 1024 and rng.random() < 0.6:
            kind = rng.choice(TABLE_NAMES)
            rows = max(10, int(target * rng.uniform(0.3, 0.6)) // 190)
            table_part = f"附件：{kind}\n\n" + self.table(year, rows, kind)
        elif rng.random() < 0.15:
            table_part = f"附件：{rng.choice(TABLE_NAMES)}\n\n" + self.table(year, rng.randint(3, 12))
        self.reserve = len(table_part.encode("utf-8"))
        budget = target - self.reserve - 200
        size = sum(len(p.encode("utf-8")) + 2 for p in parts)
        if rules:
            chapters = ["总则"] + rng.sample(["职责分工", "申请与受理", "审核与认定", "资金管理", "监督管理",
                                              "服务保障", "信息公开", "评估与考核"], 3)
            parts.append(f"为了{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}，根据{rng.choice(LAWS)}等法律法规，结合本市实际，制定本办法。")
            art = 0
            for ch_no, chapter in enumerate(chapters, 1):
                parts.append(f"## 第{cn_number(ch_no)}章　{chapter}")
                size += 30
                per_chapter = max(1, (budget - size) // max(1, len(chapters) - ch_no + 1))
                stop = size + per_chapter

                def article():
                    nonlocal art
                    art += 1
                    return f"第{cn_number(art)}条　" + self.paragraph(year, rng.randint(1, 3))
                size = self.fill(parts, size, stop, article)
                if size < stop:  # at the size cap
                    break
            art += 1
            parts.append(f"## 第{cn_number(len(chapters) + 1)}章　附则")
            parts.append(f"第{cn_number(art)}条　本办法由{issuer.name}负责解释。")
            closing[0] = f"第{cn_number(art + 1)}条　" + closing[0]
        else:
            parts.append(f"为{rng.choice(ACTIONS)}，{rng.choice(RESULTS)}，结合本市实际，现就有关事项{rng.choice(['通知如下', '提出如下意见', '制定如下措施'])}。")
            parts.append("## 一、总体要求")
            parts.append(f"（一）指导思想。{self.paragraph(year, 2)}")
            parts.append(f"（二）主要目标。到{year + rng.randint(1, 3)}年，{self.metric(year)}，{self.metric(year)}，{rng.choice(RESULTS)}。")
            size += sum(len(p.encode("utf-8")) + 2 for p in parts[-4:])
            sections = rng.sample(SECTION_TITLES, len(SECTION_TITLES))
            sec_no = 1
            while size < budget:
                sec_no += 1
                parts.append(f"## {cn_number(sec_no)}、{sections[(sec_no - 2) % len(sections)]}")
                size += 40
                stop = size + rng.randint(1500, 6000)
                item = 0

                def task():
                    nonlocal item
                    item += 1
                    return f"（{cn_number(item)}）{rng.choice(TASKS)}。" + self.paragraph(year) + self.duty()
                before = size
                size = self.fill(parts, size, min(stop, budget), task)
                if size == before:
                    parts.pop()  # an empty section at the size cap
                    sec_no -= 1
                    break
            parts.append(f"## {cn_number(sec_no + 1)}、保障措施")
            parts.append(f"（一）加强组织领导。{self.paragraph(year, 2)}")
            parts.append(f"（二）强化督促落实。{self.paragraph(year, 1)}")
        parts.extend(closing)
        if table_part:
            parts.append(table_part)
        self.reserve = 0
        return "\n\n".join(parts) + "\n"

    def interpretation_body(self, policy: Policy, year: int, target: int, qa: bool) -> str:
        rng = self.rng
        ref = f"《{policy.inner}》（{policy.doc_no}）"
        short = next((s for end, s in SHORT_NAMES if policy.inner.rstrip("）0123456789—年（").endswith(end)), "文件")
        parts = [f"近日，{policy.issuer}印发了{ref}（以下简称《{short}》）。"
                 f"为便于社会公众准确理解和把握政策内容，现解读如下。"]
        size = len(parts[0].encode("utf-8"))
        if qa:
            questions = ["出台的背景是什么？", "主要依据有哪些？", "主要内容包括哪些方面？", "适用范围和对象是什么？",
                         "有哪些创新举措？", "企业和群众如何享受政策？", "如何保障政策落地见效？", "政策有效期是多久？"]
            i = 0

            def qa_pair():
                nonlocal i
                i += 1
                q = questions[(i - 1) % len(questions)]
                return f"**问{cn_number(i)}：{q}**\n\n答：{self.paragraph(year)}"
            size = self.fill(parts, size, target - 200, qa_pair)
        else:
            heads = ["出台背景", "起草依据", "主要内容", "创新亮点", "适用范围", "实施保障", "注意事项"]
            for n, head in enumerate(heads, 1):
                parts.append(f"## {cn_number(n)}、{head}")
                share = size + max(200, (target - size) // (len(heads) - n + 1))
                k = 0

                def point():
                    nonlocal k
                    k += 1
                    if head == "主要内容":
                        return f"（{cn_number(k)}）{rng.choice(TASKS)}。" + self.paragraph(year)
                    return self.paragraph(year)
                size = self.fill(parts, size, share, point)
        parts.append(f"解读机关：{policy.issuer}\n\n联系电话：0999-{rng.randint(81000000, 89999999)}")
        return "\n\n".join(parts) + "\n"

    def release_body(self, lead: str, issuer, when: dt.datetime, target: int) -> str:
        rng = self.rng
        year = when.year
        parts = [f"{cn_date(when.date())}，{lead}。{rng.choice(LEADERS)}出席会议并讲话。"]
        size = len(parts[0].encode("utf-8"))

        def news():
            return f"{rng.choice(NEWS_VERBS)}，" + self.paragraph(year, rng.randint(2, 4))
        size = self.fill(parts, size, target - 300, news)
        if rng.random() < 0.1:
            parts.append(self.table(year, rng.randint(3, 8), "重点任务分工表"))
        parts.append(f"{issuer.name}、{'、'.join(rng.sample(DEPARTMENTS, 2))}等单位负责同志参加会议。")
        return "\n\n".join(parts) + "\n"


def _dates(rng: random.Random, n: int) -> list[dt.datetime]:
    span = (LAST_DAY - FIRST_DAY).days
    out = []
    for _ in range(n):
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        if day.weekday() >= 5 and rng.random() < 0.9:
            day -= dt.timedelta(days=day.weekday() - 4)
            if day < FIRST_DAY:
                day = FIRST_DAY
        minute = rng.randint(8 * 60 + 30, 18 * 60)
        out.append(dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60))
    out.sort()
    return out


def _types(rng: random.Random, n: int) -> list[str]:
    names = [t for t, _ in MIX]
    weights = [w for _, w in MIX]
    return rng.choices(names, weights, k=n)


def generate(n: int, outdir: Path | str, seed: int = 1, data_dir: Path | str | None = None) -> Stats:
    """Write a valid content tree of n documents into outdir (created; its contents are overwritten)."""
    started = time.perf_counter()
    outdir = Path(outdir)
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir, outdir / "_data", dirs_exist_ok=True)
    corpus = Corpus(outdir, seed)
    rng = corpus.rng
    stats = Stats(counts={t: 0 for t, _ in MIX})
    width = max(5, len(str(n)))
    when_all = _dates(rng, n)
    kinds = _types(rng, n)
    for t in ("policy", "interpretation", "release"):
        (outdir / t).mkdir(exist_ok=True)
    for seq, (when, kind) in enumerate(zip(when_all, kinds), 1):
        if kind == "interpretation":
            candidates = [p for p in corpus.policies[-60:] if p.interpreted < 2]
            if not candidates:
                kind = "policy"
        target = int(min(MAX_BYTES, max(MIN_BYTES, rng.lognormvariate(math.log(MEDIAN_BYTES), SIGMA))))
        year = when.year
        date_text = when.strftime("%Y-%m-%d %H:%M")
        if kind == "policy":
            topic, issuer, subject, kws = corpus.pick_topic_issuer(corpus.policy_issuers)
            written = (when - dt.timedelta(days=rng.randint(2, 25))).date()
            doc_no = corpus.doc_no(issuer, written.year)
            rules = rng.random() < 0.3
            inner = ""

            def make_title():
                nonlocal inner
                r = rng.random()
                if rules:
                    if rng.random() < 0.5:
                        inner = f"{corpus.city}{subject}{rng.choice(GENRES_RULES)}"
                    else:
                        inner = f"{corpus.city}{kws[0]}{rng.choice(GENRES_RULES_NOUN)}"
                    return f"{issuer.name}关于印发《{inner}》的通知" if r < 0.5 else inner
                if r < 0.3:
                    plan = rng.choice(PLANS).format(y=year, y2=year + 2)
                    inner = f"{corpus.city}{subject}{plan}"
                    return f"{issuer.name}关于印发《{inner}》的通知"
                if r < 0.4:
                    inner = f"{corpus.city}{year}年{kws[0]}工作要点"
                    return f"{issuer.name}关于印发《{inner}》的通知"
                if r < 0.5:
                    inner = f"{issuer.name}关于做好{year}年{kws[0]}工作的通知"
                    return inner
                more = "进一步" if rng.random() < 0.35 and not subject.startswith(("全面", "进一步", "深入", "切实")) else ""
                inner = f"{issuer.name}关于{more}{subject}的{rng.choice(GENRES_NOTICE)}"
                return inner
            title, suffixed = corpus.unique_title(make_title)
            if suffixed:
                inner = title
            effective = expires = None
            if rng.random() < 0.6:
                effective = when.date() + dt.timedelta(days=rng.choice((0, 0, 10, 15, 30)))
                if rng.random() < 0.3:
                    expires = dt.date(effective.year + rng.choice((2, 3, 5)), effective.month, 1) - dt.timedelta(days=1)
            validity = "有效"
            if expires and expires < TODAY:
                validity = "失效"
            elif when.year < 2022 and rng.random() < 0.06:
                validity = rng.choice(("废止", "已修订"))
            index_no = corpus.index_no(issuer, year)
            meta = {
                "title": title, "type": "policy", "index_no": index_no, "doc_no": doc_no, "issuer": issuer.name,
                "written": written.isoformat(), "date": date_text, "topic": topic,
                "column": corpus.policy_column(issuer), "keywords": kws,
                "summary": f"从{'、'.join(rng.sample(SECTION_TITLES, 3))}等方面提出{rng.randint(8, 40)}条{'规定' if rules else '措施'}。",
                "validity": validity,
            }
            if effective:
                meta["effective"] = effective.isoformat()
            if expires:
                meta["expires"] = expires.isoformat()
            body = corpus.policy_body(title, issuer, year, written, effective, expires, target, rules)
            corpus.policies.append(Policy(index_no, doc_no, title, inner, kws, issuer.name, topic, when))
            start = written
        elif kind == "interpretation":
            policy = rng.choice(candidates)
            policy.interpreted += 1
            pol_issuer = corpus.vocab.issuers[policy.issuer]
            office = [i for i in corpus.issuers if i.name.endswith("办公室")]
            issuer = pol_issuer if rng.random() < 0.7 or not office else rng.choice(office)
            leaves = corpus.columns["interpretation"]
            column = leaves[0] if rng.random() < 0.7 else rng.choice(leaves)
            qa = rng.random() < 0.3
            name = f"《{policy.inner}》"
            if "图解" in column:
                forms = [f"图解：{name}", f"一图读懂{name}", f"图解{name}"]
            elif qa:
                forms = [f"{issuer.name}有关负责人就{name}答记者问", f"{issuer.name}负责同志解读{name}",
                         f"{name}政策问答"]
            else:
                forms = [f"{name}政策解读", f"关于{name}的解读", f"{name}解读", f"{name}起草说明",
                         f"解读{name}"]
            title, _ = corpus.unique_title(lambda: rng.choice(forms))
            meta = {
                "title": title, "type": "interpretation", "index_no": corpus.index_no(issuer, year),
                "issuer": issuer.name, "date": date_text, "topic": policy.topic, "column": column,
                "keywords": ["政策解读"] + policy.keywords,
                "summary": f"从出台背景、主要内容、创新亮点等方面对{policy.doc_no}进行解读。",
                "interprets": [policy.index_no],
            }
            body = corpus.interpretation_body(policy, year, target, qa)
            start = max(policy.date.date(), when.date() - dt.timedelta(days=5))
        else:
            topic, issuer, subject, kws = corpus.pick_topic_issuer(corpus.issuers)
            work = subject if subject.endswith("工作") else subject + "工作"
            event = rng.choice([f"{work}{e[2:]}" if e.startswith("工作") else f"{subject}{e}" for e in EVENTS])
            host = rng.choice([corpus.city, issuer.name])
            variants = [(f"{host}召开{event}", f"{host}召开{event}"),
                        (f"{host}召开{year}年{event}", f"{host}召开{year}年{event}"),
                        (f"市政府常务会议研究部署{work}", f"{corpus.city}人民政府召开常务会议，研究部署{work}"),
                        (f"{host}举行{event}", f"{host}举行{event}")]
            title, suffixed = corpus.unique_title(lambda: rng.choice(variants)[0])
            lead = next((text for t, text in variants if title.startswith(t)), title)
            meta = {
                "title": title, "type": "release", "index_no": corpus.index_no(issuer, year), "issuer": issuer.name,
                "date": date_text, "topic": topic, "column": rng.choice(corpus.columns["release"]), "keywords": kws,
                "summary": f"{cn_date(when.date())}，{lead}。",
            }
            body = corpus.release_body(lead, issuer, when, target)
            start = when.date() - dt.timedelta(days=rng.randint(0, 3))
        meta["status"] = "published"
        meta["change_note"] = "首次发布"
        meta["review"], meta["proofread"], meta["secrecy"] = corpus.signoffs(start, when.date())
        meta["review"]["final"]["digest"] = document_digest(meta, body)
        rel = f"{kind}/{seq:0{width}d}.md"
        (outdir / rel).write_text(front_matter(meta) + body, encoding="utf-8")
        stats.files.append(rel)
        stats.sizes.append(len(body.encode("utf-8")))
        stats.counts[kind] += 1
    stats.seconds = time.perf_counter() - started
    return stats


# ---- helpers for tests and the benchmark ----------------------------------------------

_DIGEST_LINE = re.compile(r'^(  final: \{.*digest: )("?)(sha256:[^",}]*)\2', re.M)


def file_digest(path: Path | str) -> tuple[str, str]:
    """(digest written in review.final, digest of the file as govportal reads it)."""
    path = Path(path)
    parsed, issues = parse_file(path.name, path.read_bytes())
    if parsed is None:
        raise ValueError(f"{path}: " + "; ".join(i.format() for i in issues))
    written = str(((parsed.meta.get("review") or {}).get("final") or {}).get("digest", ""))
    return written, document_digest(parsed.meta, parsed.body)


def refresh_digest(path: Path | str) -> str:
    """Set review.final.digest of a generated file to the digest of its current text."""
    path = Path(path)
    _, digest = file_digest(path)
    text = path.read_text("utf-8")
    new, count = _DIGEST_LINE.subn(lambda m: f'{m.group(1)}"{digest}"', text, count=1)
    if count != 1:
        raise ValueError(f"{path}: no review.final digest line")
    path.write_text(new, encoding="utf-8")
    return digest


def verify(outdir: Path | str, files: list[str]) -> list[str]:
    """Files whose written digest differs from the digest govportal computes (should be none)."""
    bad = []
    for rel in files:
        written, actual = file_digest(Path(outdir) / rel)
        if written != actual:
            bad.append(rel)
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gen_corpus", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None, help="_data directory to copy (default: content/_data)")
    parser.add_argument("--force", action="store_true", help="empty a non-empty OUTDIR first")
    parser.add_argument("--verify", action="store_true", help="re-read every file and check its digest")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    data = args.data or default_data_dir()
    if not (data / "site.yml").exists():
        parser.error(f"{data} has no site.yml")
    out = args.outdir
    if out.exists() and not out.is_dir():
        parser.error(f"{out} is not a directory")
    if out.exists() and any(out.iterdir()):
        if not args.force:
            print(f"gen_corpus: {out} is not empty (use --force to empty it)", file=sys.stderr)
            return 2
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    stats = generate(args.n, out, args.seed, data)
    print(stats.summary())
    if args.verify:
        bad = verify(out, stats.files)
        print(f"verified {len(stats.files)} digests: {len(bad)} wrong")
        if bad:
            print("\n".join(bad[:20]), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
