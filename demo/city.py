"""The demo city's names: districts (with their administrative division codes, the start of a
USCC), departments, key industry chains, which department takes which category's problems, and
the words demo enterprises and problems are made of. The benchmark city uses them too."""

DISTRICTS = [
    ("nanguan", "南关区", "urban", "220102"),
    ("kuancheng", "宽城区", "urban", "220103"),
    ("chaoyang", "朝阳区", "urban", "220104"),
    ("erdao", "二道区", "urban", "220105"),
    ("lvyuan", "绿园区", "urban", "220106"),
    ("shuangyang", "双阳区", "urban", "220112"),
    ("yushu", "榆树市", "county", "220182"),
    ("jingkai", "经济技术开发区", "zone", "220171"),
    ("gaoxin", "高新技术产业开发区", "zone", "220172"),
    ("qikai", "汽车经济技术开发区", "zone", "220173"),
]
DEPARTMENTS = [
    ("fgw", "市发展和改革委员会", "发改委"),
    ("gxj", "市工业和信息化局", "工信局"),
    ("zrzy", "市自然资源局", "自然资源局"),
    ("power", "国网市供电公司", "供电公司"),
    ("rsj", "市人力资源和社会保障局", "人社局"),
    ("jrb", "市地方金融管理局", "金融办"),
    ("swj", "市商务局", "商务局"),
    ("kjj", "市科学技术局", "科技局"),
    ("zjj", "市住房和城乡建设局", "住建局"),
    ("zwfw", "市政务服务和数字化建设管理局", "政务服务局"),
]
CHAINS = [
    ("vehicle", "整车"),
    ("parts", "零部件"),
    ("rail", "轨道客车"),
    ("optoelectronics", "光电信息"),
    ("biomedicine", "生物医药"),
    ("agrifood", "农产品加工"),
]
# Which department takes which category's problems.
HANDLER = {
    "land": "zrzy",
    "power": "power",
    "energy": "fgw",
    "labour": "rsj",
    "logistics": "swj",
    "financing": "jrb",
    "policy": "gxj",
    "approval": "zwfw",
    "market": "swj",
    "innovation": "kjj",
    "infrastructure": "zjj",
    "legal": "gxj",
    "other": "gxj",
}
NAME_HEADS = [
    "一汽",
    "长客",
    "华信",
    "吉瑞",
    "北方",
    "东光",
    "松江",
    "瑞丰",
    "恒大",
    "博远",
    "金桥",
    "天合",
    "中科",
    "远航",
    "嘉禾",
    "星宇",
    "启明",
    "富奥",
    "凯达",
    "永信",
]
NAME_TRADES = {
    "vehicle": ["汽车制造", "专用车", "新能源汽车"],
    "parts": ["汽车零部件", "精密铸造", "汽车电子"],
    "rail": ["轨道交通装备", "轨道车辆配件"],
    "optoelectronics": ["光电科技", "半导体", "卫星信息"],
    "biomedicine": ["生物制药", "医疗器械", "疫苗"],
    "agrifood": ["粮油食品", "农产品加工", "乳业"],
}
PROBLEMS = {
    "land": ["扩建厂房用地指标尚未落实", "项目用地规划调整审批缓慢", "土地证办理遇阻"],
    "power": ["新增生产线需要扩容变压器", "园区频繁停电影响生产", "电力接入工程进度慢"],
    "energy": ["冬季用煤供应紧张", "天然气价格上涨请求协调", "能耗指标不足影响投产"],
    "labour": ["熟练技工招聘困难", "需要开展订单式培训", "社保补贴申领不畅"],
    "logistics": ["铁路专用线运力不足", "出口集装箱订舱困难", "物流园区道路拥堵"],
    "financing": ["流动资金贷款到期续贷困难", "申请技改项目贴息", "应收账款融资渠道少"],
    "policy": ["稳岗补贴尚未拨付", "研发费用加计扣除政策未落实", "专精特新奖励资金未到位"],
    "approval": ["环评审批时间过长", "施工许可证办理材料反复补正", "消防验收预约排期长"],
    "market": ["希望对接整车厂采购需求", "参加境外展会需要支持", "产品进入政府采购目录"],
    "innovation": ["高层次人才子女入学", "申报省级技术中心需要指导", "校企合作研发平台搭建"],
    "infrastructure": ["厂区周边道路破损", "园区污水管网未接通", "供暖管网改造滞后"],
    "legal": ["执法检查频次过多", "合同纠纷需要法律援助", "知识产权被侵权"],
    "other": ["企业更名后多部门信息不一致", "希望协调解决员工通勤班车", "周边施工噪音扰民"],
}
