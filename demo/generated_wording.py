"""The words a generated data set is made of: unit names, plan titles, measure texts, progress notes.

Drawn from the vocabulary of Beijing's published air-pollution plans so that
generated pages look like the real ones (and long Chinese texts exercise the
layout the way real ones do). Used by ``demo.generated_data`` and
``demo.simulated_activity``; nothing here touches the database.
"""

from __future__ import annotations

import random

DISTRICTS = (
    "丰台区",
    "朝阳区",
    "海淀区",
    "西城区",
    "东城区",
    "石景山区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "大兴区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
)

MUNICIPAL_DEPARTMENTS = (
    "市生态环境局",
    "市交通委",
    "市住房城乡建设委",
    "市城市管理委",
    "市发展改革委",
    "市经济信息化局",
    "市公安局公安交通管理局",
    "市市场监管局",
    "市水务局",
    "市园林绿化局",
    "市农业农村局",
    "市规划自然资源委",
    "市商务局",
    "市财政局",
    "市科委中关村管委会",
    "市气象局",
    "市应急局",
    "市教委",
    "市卫生健康委",
    "市国资委",
)

# District bureaus, busiest first: the first few carry most of a district plan's measures.
DISTRICT_BUREAUS = (
    "区生态环境局",
    "区城市管理委",
    "区住房城乡建设委",
    "区交通委",
    "区发展改革委",
    "区经济信息化局",
    "区园林绿化局",
    "区水务局",
    "区市场监管局",
    "区公安分局",
    "区交通支队",
    "区规划自然资源分局",
    "区农业农村局",
    "区商务局",
    "区财政局",
    "区科委",
    "区应急局",
    "区教委",
    "区卫生健康委",
    "区国资委",
)

# Syllables for street and town names (…街道, …镇, …乡, …地区).
_STREET_STEMS = (
    "长安",
    "新村",
    "和平",
    "东风",
    "花园",
    "太平",
    "永安",
    "南苑",
    "北苑",
    "西山",
    "东坝",
    "青龙",
    "白云",
    "金顶",
    "龙泉",
    "清源",
    "马坡",
    "宋庄",
    "石园",
    "兴丰",
    "林校",
    "观音",
    "黄村",
    "天宫",
    "卢沟",
    "云岗",
    "大红门",
    "方庄",
    "右安门",
    "新街口",
    "月坛",
    "广外",
    "牛街",
    "展览路",
    "望京",
    "酒仙桥",
    "麦子店",
    "潘家园",
    "双井",
    "劲松",
    "小关",
    "和义",
    "香山",
    "青龙湖",
)
_STREET_SUFFIXES = ("街道", "街道", "街道", "镇", "镇", "乡", "地区")

CHAPTER_TITLES = (
    "调整优化产业结构，推进产业绿色发展",
    "加快调整能源结构，构建清洁低碳高效能源体系",
    "积极调整运输结构，发展绿色交通体系",
    "优化调整用地结构，推进面源污染治理",
    "深化扬尘污染精细化管控",
    "强化挥发性有机物综合治理",
    "有效应对重污染天气",
    "健全法规标准体系，强化执法监管",
    "加强科技支撑，提升监测能力",
    "落实各方责任，开展全民行动",
)

TASK_TOPICS = (
    "深化施工工地扬尘治理",
    "加强道路扬尘管控",
    "推进裸露地面绿化覆盖",
    "强化渣土运输车辆管理",
    "推进散煤清洁能源替代",
    "加强燃气锅炉低氮改造",
    "淘汰高排放老旧机动车",
    "加强柴油货车排放监管",
    "推广新能源车辆应用",
    "严格非道路移动机械管理",
    "推进重点行业挥发性有机物减排",
    "加强餐饮油烟治理",
    "严禁露天焚烧",
    "推进城乡接合部环境整治",
    "开展“散乱污”企业动态清零",
    "加强重污染天气应急减排",
    "完善空气质量监测网络",
    "强化环境执法检查",
    "推进汽修行业综合治理",
    "加强加油站油气回收监管",
    "推进物流园区绿色发展",
    "加强秸秆综合利用",
    "实施城市绿化美化工程",
    "落实网格化环境监管",
    "开展烟花爆竹禁限放管理",
    "推进公共机构节能",
    "加强工业企业错峰生产",
    "实施交通拥堵综合治理",
)

_MEASURE_OPENINGS = (
    "严格落实施工工地“六个百分之百”扬尘控制要求",
    "对辖区内{n}个重点点位开展全天候巡查",
    "完成{n}台老旧柴油车淘汰更新",
    "推进{n}户农村地区散煤清洁能源替代",
    "对{n}家重点企业实施挥发性有机物在线监测",
    "新增和改造绿地{n}公顷",
    "完成{n}蒸吨燃气锅炉低氮改造",
    "对{n}家餐饮单位油烟净化设施开展专项检查",
    "建设{n}个空气质量微站并接入监测平台",
    "组织开展{n}次联合执法检查",
    "推动{n}公里道路实施机扫水洗联合作业",
    "清理整治“散乱污”企业{n}家",
)
_MEASURE_MIDDLES = (
    "建立问题台账并实行销账管理",
    "落实属地管理和行业监管责任",
    "强化视频监控和远程执法手段",
    "将检查结果纳入绩效考核",
    "对发现的问题实行限期整改",
    "加强与相关部门的信息共享和联动执法",
    "定期通报工作进展情况",
    "加大对违法行为的处罚力度",
)
_MEASURE_ENDINGS = (
    "确保细颗粒物浓度持续下降。",
    "实现辖区内问题动态清零。",
    "形成长效管理机制。",
    "确保按期完成年度目标任务。",
    "有效降低污染物排放总量。",
    "持续改善区域空气质量。",
)

PROGRESS_NOTES = (
    "本月组织开展专项检查{n}次，发现问题{m}处，已整改{k}处，其余问题已建立台账限期整改。",
    "召开专题推进会{n}次，明确责任分工和时间节点，已完成年度任务量的{p}%。",
    "完成{n}个点位的现场核查，{k}个点位已完成治理，正在组织验收。",
    "会同相关部门开展联合执法{n}次，立案处罚{m}起，罚款{k}万元。",
    "已完成前期调研和方案编制，项目进入招标采购阶段，预计下月开工。",
    "按计划推进，本月新增完成{n}项，累计完成{k}项。",
    "配合牵头单位完成数据报送和现场检查，提供佐证材料{n}份。",
    "持续开展日常巡查，本月巡查{n}次，未发现新增问题。",
    "工程已完工并通过验收，相关佐证材料已上传。",
)
DELAY_REASONS = (
    "受资金拨付进度影响，工程无法按期完工，已申请调整时间节点。",
    "涉及拆迁腾退，需协调相关部门和街乡共同推进。",
    "设备采购流程尚未完成，预计延后两个月。",
    "受冬季施工限制，需顺延至明年春季复工后完成。",
)
RETURN_REASONS = (
    "佐证材料不全，请补充现场照片和整改前后对比。",
    "进展描述过于笼统，请写明完成数量和具体点位。",
    "部分措施未填报本月进展，请补充后重新报送。",
    "完成百分比与进展情况不符，请核实后修改。",
)
ACCEPT_COMMENTS = ("", "", "", "同意。", "材料齐全，予以通过。")
REPORT_SUMMARIES = (
    "本月共推进措施{n}项，其中已完成{d}项，其余措施均按计划推进。",
    "本月按照计划要求推进各项任务，{n}项措施进展正常，{d}项已完成，存在问题已列入整改台账。",
    "本月重点推进扬尘管控和执法检查工作，承担的{n}项措施中{d}项已完成。",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "雪梅",
    "立新",
    "春梅",
    "文博",
    "子涵",
)


def street_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct street/town names."""
    names: list[str] = []
    seen: set[str] = set()
    stems = list(_STREET_STEMS)
    rng.shuffle(stems)
    index = 0
    while len(names) < count:
        stem = stems[index % len(stems)] + ("" if index < len(stems) else str(index // len(stems) + 1))
        name = stem + rng.choice(_STREET_SUFFIXES)
        index += 1
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def measure_text(rng: random.Random) -> str:
    opening = rng.choice(_MEASURE_OPENINGS).format(n=rng.randint(3, 120))
    middles = "，".join(rng.sample(_MEASURE_MIDDLES, rng.randint(1, 3)))
    return f"{opening}，{middles}，{rng.choice(_MEASURE_ENDINGS)}"


def progress_note(rng: random.Random, percent: int | None) -> str:
    n, m = rng.randint(1, 30), rng.randint(1, 20)
    return rng.choice(PROGRESS_NOTES).format(
        n=n, m=m, k=rng.randint(0, m), p=percent if percent is not None else 50
    )


def person_name(rng: random.Random) -> tuple[str, str]:
    """(family name, given name)."""
    return rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
