//! The code tables the payload refers to: operation categories and items of the
//! special-operations catalogue, and industries and roles of the
//! safety-management certificate, each with its Simplified Chinese and English
//! name.
//!
//! Codes are stable wire values (docs/format.md). An item code is
//! `category * 100 + n`, so an item always names its category. A code that
//! this table does not know still decodes (a newer catalogue may add codes);
//! screens then show the number.

/// One named code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The wire value.
    pub code: u16,
    /// Simplified Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
}

const fn e(code: u16, zh: &'static str, en: &'static str) -> Entry {
    Entry { code, zh, en }
}

/// Operation categories (作业类别).
pub const CATEGORIES: &[Entry] = &[
    e(1, "电工作业", "Electrical work"),
    e(2, "焊接与热切割作业", "Welding and thermal cutting"),
    e(3, "高处作业", "Work at height"),
    e(4, "制冷与空调作业", "Refrigeration and air conditioning"),
    e(5, "煤矿安全作业", "Coal-mine safety"),
    e(
        6,
        "金属非金属矿山安全作业",
        "Metal and non-metal mine safety",
    ),
    e(7, "石油天然气安全作业", "Oil and gas safety"),
    e(
        8,
        "冶金（有色）生产安全作业",
        "Metallurgy (non-ferrous) safety",
    ),
    e(9, "危险化学品安全作业", "Hazardous-chemical processes"),
    e(10, "烟花爆竹安全作业", "Fireworks safety"),
];

/// Operation items (操作项目).
pub const ITEMS: &[Entry] = &[
    e(101, "高压电工作业", "High-voltage electrician"),
    e(102, "低压电工作业", "Low-voltage electrician"),
    e(103, "防爆电气作业", "Explosion-proof electrical work"),
    e(
        201,
        "熔化焊接与热切割作业",
        "Fusion welding and thermal cutting",
    ),
    e(202, "压力焊作业", "Pressure welding"),
    e(203, "钎焊作业", "Brazing"),
    e(301, "登高架设作业", "Scaffolding"),
    e(
        302,
        "高处安装、维护、拆除作业",
        "Installation, maintenance and demolition at height",
    ),
    e(
        401,
        "制冷与空调设备运行操作作业",
        "Refrigeration and AC operation",
    ),
    e(
        402,
        "制冷与空调设备安装修理作业",
        "Refrigeration and AC installation and repair",
    ),
    e(
        501,
        "煤矿井下电气作业",
        "Underground electrical work (coal)",
    ),
    e(502, "煤矿井下爆破作业", "Underground blasting (coal)"),
    e(503, "煤矿安全监测监控作业", "Safety monitoring (coal)"),
    e(504, "煤矿瓦斯检查作业", "Gas inspection (coal)"),
    e(505, "煤矿安全检查作业", "Safety inspection (coal)"),
    e(506, "煤矿提升机操作作业", "Hoist operation (coal)"),
    e(
        507,
        "煤矿采煤机（掘进机）操作作业",
        "Shearer or roadheader operation (coal)",
    ),
    e(508, "煤矿瓦斯抽采作业", "Gas drainage (coal)"),
    e(509, "煤矿防突作业", "Outburst prevention (coal)"),
    e(
        510,
        "煤矿探放水作业",
        "Water exploration and drainage (coal)",
    ),
    e(601, "金属非金属矿井通风作业", "Mine ventilation"),
    e(602, "尾矿作业", "Tailings"),
    e(603, "金属非金属矿山安全检查作业", "Mine safety inspection"),
    e(604, "金属非金属矿山提升机操作作业", "Mine hoist operation"),
    e(605, "金属非金属矿山支柱作业", "Mine timbering"),
    e(
        606,
        "金属非金属矿山井下电气作业",
        "Underground electrical work (mines)",
    ),
    e(607, "金属非金属矿山排水作业", "Mine drainage"),
    e(608, "金属非金属矿山爆破作业", "Mine blasting"),
    e(701, "司钻作业", "Driller"),
    e(801, "煤气作业", "Gas work"),
    e(901, "光气及光气化工艺作业", "Phosgenation"),
    e(902, "氯碱电解工艺作业", "Chlor-alkali electrolysis"),
    e(903, "氯化工艺作业", "Chlorination"),
    e(904, "硝化工艺作业", "Nitration"),
    e(905, "合成氨工艺作业", "Ammonia synthesis"),
    e(906, "裂解（裂化）工艺作业", "Cracking"),
    e(907, "氟化工艺作业", "Fluorination"),
    e(908, "加氢工艺作业", "Hydrogenation"),
    e(909, "重氮化工艺作业", "Diazotization"),
    e(910, "氧化工艺作业", "Oxidation"),
    e(911, "过氧化工艺作业", "Peroxidation"),
    e(912, "胺基化工艺作业", "Amination"),
    e(913, "磺化工艺作业", "Sulfonation"),
    e(914, "聚合工艺作业", "Polymerization"),
    e(915, "烷基化工艺作业", "Alkylation"),
    e(
        916,
        "化工自动化控制仪表作业",
        "Chemical automation instruments",
    ),
    e(
        1001,
        "烟火药制造作业",
        "Pyrotechnic composition manufacture",
    ),
    e(1002, "黑火药制造作业", "Black powder manufacture"),
    e(1003, "引火线制造作业", "Fuse manufacture"),
    e(
        1004,
        "烟花爆竹产品涉药作业",
        "Work with charged fireworks products",
    ),
    e(1005, "烟花爆竹储存作业", "Fireworks storage"),
];

/// Industries (行业类别) of the safety-management certificate.
pub const INDUSTRIES: &[Entry] = &[
    e(1, "煤矿", "Coal mines"),
    e(2, "金属非金属矿山", "Metal and non-metal mines"),
    e(3, "危险化学品", "Hazardous chemicals"),
    e(4, "烟花爆竹", "Fireworks"),
    e(5, "金属冶炼", "Metal smelting"),
    e(6, "石油天然气开采", "Oil and gas extraction"),
    e(7, "建筑施工", "Construction"),
    e(8, "道路运输", "Road transport"),
];

/// Roles (职务) of the safety-management certificate.
pub const ROLES: &[Entry] = &[
    e(1, "主要负责人", "Principal person in charge"),
    e(2, "安全生产管理人员", "Safety manager"),
];

/// Finds a code in a table.
pub fn lookup(table: &'static [Entry], code: u16) -> Option<&'static Entry> {
    table.iter().find(|e| e.code == code)
}

/// Finds an entry by its Chinese or English name, or by its code written as digits.
pub fn find(table: &'static [Entry], name: &str) -> Option<&'static Entry> {
    let name = name.trim();
    if let Ok(code) = name.parse::<u16>() {
        return lookup(table, code);
    }
    table
        .iter()
        .find(|e| e.zh == name || e.en.eq_ignore_ascii_case(name))
}

/// The name of a code in the chosen language, or the number if unknown.
pub fn name(table: &'static [Entry], code: u16, chinese: bool) -> String {
    match lookup(table, code) {
        Some(e) if chinese => e.zh.to_string(),
        Some(e) => e.en.to_string(),
        None => format!("#{code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_names_a_known_category() {
        for item in ITEMS {
            assert!(
                lookup(CATEGORIES, item.code / 100).is_some(),
                "item {} has no category",
                item.code
            );
        }
    }

    #[test]
    fn codes_are_unique() {
        for table in [CATEGORIES, ITEMS, INDUSTRIES, ROLES] {
            for (i, a) in table.iter().enumerate() {
                assert!(table[i + 1..].iter().all(|b| b.code != a.code));
            }
        }
    }

    #[test]
    fn find_by_name_or_code() {
        assert_eq!(find(ITEMS, "低压电工作业").map(|e| e.code), Some(102));
        assert_eq!(
            find(ITEMS, "low-voltage electrician").map(|e| e.code),
            Some(102)
        );
        assert_eq!(find(ITEMS, "102").map(|e| e.code), Some(102));
        assert_eq!(find(ITEMS, "nothing"), None);
    }
}
