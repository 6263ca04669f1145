//! The ICAO 9303 Part 3 code list: every code an MRZ may carry for a state, an organisation or a
//! nationality status, with its name and its ISO 3166-1 alpha-2 counterpart where one exists.
//!
//! The ISO 3166-1 part was generated from the Debian `iso-codes` data (3166-1, 249 entries); the
//! ICAO-only codes (`D`, `GBD`…`GBS`, `UNO`, `UNA`, `UNK`, `XXA`…`XXX`, `EUE`, `RKS`, the `X..`
//! organisations) and the specimen code `UTO` were typed from ICAO 9303 Part 3.
//!
//! ```
//! let de = idverify_mrz::countries::lookup("D").unwrap();
//! assert_eq!(de.alpha2, Some("DE"));
//! assert!(idverify_mrz::countries::lookup("ZZZ").is_none());
//! ```

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// An ISO 3166-1 alpha-3 code.
    Iso,
    /// A code only ICAO 9303 Part 3 defines (organisations, nationality statuses, `D`).
    IcaoOnly,
    /// The fictional state of the ICAO specimens (`UTO`).
    Specimen,
}

/// One entry of the code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// The code as it stands in the MRZ, without fillers (`D`, `GBR`, `UTO`).
    pub code: &'static str,
    /// English short name.
    pub name: &'static str,
    /// ISO 3166-1 alpha-2 counterpart, where one exists.
    pub alpha2: Option<&'static str>,
    /// Where the code comes from.
    pub kind: CodeKind,
}

/// Looks a code up; fillers (`D<<`) are ignored.
///
/// ```
/// assert_eq!(idverify_mrz::countries::lookup("D<<").map(|c| c.name), Some("Germany"));
/// ```
pub fn lookup(code: &str) -> Option<&'static Country> {
    let code = code.trim_end_matches('<');
    COUNTRIES
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .and_then(|i| COUNTRIES.get(i))
}

/// Every code, sorted by code.
pub fn all() -> &'static [Country] {
    COUNTRIES
}

const fn c(
    code: &'static str,
    name: &'static str,
    alpha2: &'static str,
    kind: CodeKind,
) -> Country {
    Country {
        code,
        name,
        alpha2: if alpha2.is_empty() {
            None
        } else {
            Some(alpha2)
        },
        kind,
    }
}

use CodeKind::{IcaoOnly, Iso, Specimen};

static COUNTRIES: &[Country] = &[
    c("ABW", "Aruba", "AW", Iso),
    c("AFG", "Afghanistan", "AF", Iso),
    c("AGO", "Angola", "AO", Iso),
    c("AIA", "Anguilla", "AI", Iso),
    c("ALA", "Åland Islands", "AX", Iso),
    c("ALB", "Albania", "AL", Iso),
    c("AND", "Andorra", "AD", Iso),
    c("ARE", "United Arab Emirates", "AE", Iso),
    c("ARG", "Argentina", "AR", Iso),
    c("ARM", "Armenia", "AM", Iso),
    c("ASM", "American Samoa", "AS", Iso),
    c("ATA", "Antarctica", "AQ", Iso),
    c("ATF", "French Southern Territories", "TF", Iso),
    c("ATG", "Antigua and Barbuda", "AG", Iso),
    c("AUS", "Australia", "AU", Iso),
    c("AUT", "Austria", "AT", Iso),
    c("AZE", "Azerbaijan", "AZ", Iso),
    c("BDI", "Burundi", "BI", Iso),
    c("BEL", "Belgium", "BE", Iso),
    c("BEN", "Benin", "BJ", Iso),
    c("BES", "Bonaire, Sint Eustatius and Saba", "BQ", Iso),
    c("BFA", "Burkina Faso", "BF", Iso),
    c("BGD", "Bangladesh", "BD", Iso),
    c("BGR", "Bulgaria", "BG", Iso),
    c("BHR", "Bahrain", "BH", Iso),
    c("BHS", "Bahamas", "BS", Iso),
    c("BIH", "Bosnia and Herzegovina", "BA", Iso),
    c("BLM", "Saint Barthélemy", "BL", Iso),
    c("BLR", "Belarus", "BY", Iso),
    c("BLZ", "Belize", "BZ", Iso),
    c("BMU", "Bermuda", "BM", Iso),
    c("BOL", "Bolivia", "BO", Iso),
    c("BRA", "Brazil", "BR", Iso),
    c("BRB", "Barbados", "BB", Iso),
    c("BRN", "Brunei Darussalam", "BN", Iso),
    c("BTN", "Bhutan", "BT", Iso),
    c("BVT", "Bouvet Island", "BV", Iso),
    c("BWA", "Botswana", "BW", Iso),
    c("CAF", "Central African Republic", "CF", Iso),
    c("CAN", "Canada", "CA", Iso),
    c("CCK", "Cocos (Keeling) Islands", "CC", Iso),
    c("CHE", "Switzerland", "CH", Iso),
    c("CHL", "Chile", "CL", Iso),
    c("CHN", "China", "CN", Iso),
    c("CIV", "Côte d'Ivoire", "CI", Iso),
    c("CMR", "Cameroon", "CM", Iso),
    c("COD", "Congo, The Democratic Republic of the", "CD", Iso),
    c("COG", "Congo", "CG", Iso),
    c("COK", "Cook Islands", "CK", Iso),
    c("COL", "Colombia", "CO", Iso),
    c("COM", "Comoros", "KM", Iso),
    c("CPV", "Cabo Verde", "CV", Iso),
    c("CRI", "Costa Rica", "CR", Iso),
    c("CUB", "Cuba", "CU", Iso),
    c("CUW", "Curaçao", "CW", Iso),
    c("CXR", "Christmas Island", "CX", Iso),
    c("CYM", "Cayman Islands", "KY", Iso),
    c("CYP", "Cyprus", "CY", Iso),
    c("CZE", "Czechia", "CZ", Iso),
    c("D", "Germany", "DE", IcaoOnly),
    c("DEU", "Germany", "DE", Iso),
    c("DJI", "Djibouti", "DJ", Iso),
    c("DMA", "Dominica", "DM", Iso),
    c("DNK", "Denmark", "DK", Iso),
    c("DOM", "Dominican Republic", "DO", Iso),
    c("DZA", "Algeria", "DZ", Iso),
    c("ECU", "Ecuador", "EC", Iso),
    c("EGY", "Egypt", "EG", Iso),
    c("ERI", "Eritrea", "ER", Iso),
    c("ESH", "Western Sahara", "EH", Iso),
    c("ESP", "Spain", "ES", Iso),
    c("EST", "Estonia", "EE", Iso),
    c("ETH", "Ethiopia", "ET", Iso),
    c("EUE", "European Union", "", IcaoOnly),
    c("FIN", "Finland", "FI", Iso),
    c("FJI", "Fiji", "FJ", Iso),
    c("FLK", "Falkland Islands (Malvinas)", "FK", Iso),
    c("FRA", "France", "FR", Iso),
    c("FRO", "Faroe Islands", "FO", Iso),
    c("FSM", "Micronesia, Federated States of", "FM", Iso),
    c("GAB", "Gabon", "GA", Iso),
    c("GBD", "British Overseas Territories Citizen", "", IcaoOnly),
    c("GBN", "British National (Overseas)", "", IcaoOnly),
    c("GBO", "British Overseas Citizen", "", IcaoOnly),
    c("GBP", "British Protected Person", "", IcaoOnly),
    c("GBR", "United Kingdom", "GB", Iso),
    c("GBS", "British Subject", "", IcaoOnly),
    c("GEO", "Georgia", "GE", Iso),
    c("GGY", "Guernsey", "GG", Iso),
    c("GHA", "Ghana", "GH", Iso),
    c("GIB", "Gibraltar", "GI", Iso),
    c("GIN", "Guinea", "GN", Iso),
    c("GLP", "Guadeloupe", "GP", Iso),
    c("GMB", "Gambia", "GM", Iso),
    c("GNB", "Guinea-Bissau", "GW", Iso),
    c("GNQ", "Equatorial Guinea", "GQ", Iso),
    c("GRC", "Greece", "GR", Iso),
    c("GRD", "Grenada", "GD", Iso),
    c("GRL", "Greenland", "GL", Iso),
    c("GTM", "Guatemala", "GT", Iso),
    c("GUF", "French Guiana", "GF", Iso),
    c("GUM", "Guam", "GU", Iso),
    c("GUY", "Guyana", "GY", Iso),
    c("HKG", "Hong Kong", "HK", Iso),
    c("HMD", "Heard Island and McDonald Islands", "HM", Iso),
    c("HND", "Honduras", "HN", Iso),
    c("HRV", "Croatia", "HR", Iso),
    c("HTI", "Haiti", "HT", Iso),
    c("HUN", "Hungary", "HU", Iso),
    c("IDN", "Indonesia", "ID", Iso),
    c("IMN", "Isle of Man", "IM", Iso),
    c("IND", "India", "IN", Iso),
    c("IOT", "British Indian Ocean Territory", "IO", Iso),
    c("IRL", "Ireland", "IE", Iso),
    c("IRN", "Iran", "IR", Iso),
    c("IRQ", "Iraq", "IQ", Iso),
    c("ISL", "Iceland", "IS", Iso),
    c("ISR", "Israel", "IL", Iso),
    c("ITA", "Italy", "IT", Iso),
    c("JAM", "Jamaica", "JM", Iso),
    c("JEY", "Jersey", "JE", Iso),
    c("JOR", "Jordan", "JO", Iso),
    c("JPN", "Japan", "JP", Iso),
    c("KAZ", "Kazakhstan", "KZ", Iso),
    c("KEN", "Kenya", "KE", Iso),
    c("KGZ", "Kyrgyzstan", "KG", Iso),
    c("KHM", "Cambodia", "KH", Iso),
    c("KIR", "Kiribati", "KI", Iso),
    c("KNA", "Saint Kitts and Nevis", "KN", Iso),
    c("KOR", "South Korea", "KR", Iso),
    c("KWT", "Kuwait", "KW", Iso),
    c("LAO", "Laos", "LA", Iso),
    c("LBN", "Lebanon", "LB", Iso),
    c("LBR", "Liberia", "LR", Iso),
    c("LBY", "Libya", "LY", Iso),
    c("LCA", "Saint Lucia", "LC", Iso),
    c("LIE", "Liechtenstein", "LI", Iso),
    c("LKA", "Sri Lanka", "LK", Iso),
    c("LSO", "Lesotho", "LS", Iso),
    c("LTU", "Lithuania", "LT", Iso),
    c("LUX", "Luxembourg", "LU", Iso),
    c("LVA", "Latvia", "LV", Iso),
    c("MAC", "Macao", "MO", Iso),
    c("MAF", "Saint Martin (French part)", "MF", Iso),
    c("MAR", "Morocco", "MA", Iso),
    c("MCO", "Monaco", "MC", Iso),
    c("MDA", "Moldova", "MD", Iso),
    c("MDG", "Madagascar", "MG", Iso),
    c("MDV", "Maldives", "MV", Iso),
    c("MEX", "Mexico", "MX", Iso),
    c("MHL", "Marshall Islands", "MH", Iso),
    c("MKD", "North Macedonia", "MK", Iso),
    c("MLI", "Mali", "ML", Iso),
    c("MLT", "Malta", "MT", Iso),
    c("MMR", "Myanmar", "MM", Iso),
    c("MNE", "Montenegro", "ME", Iso),
    c("MNG", "Mongolia", "MN", Iso),
    c("MNP", "Northern Mariana Islands", "MP", Iso),
    c("MOZ", "Mozambique", "MZ", Iso),
    c("MRT", "Mauritania", "MR", Iso),
    c("MSR", "Montserrat", "MS", Iso),
    c("MTQ", "Martinique", "MQ", Iso),
    c("MUS", "Mauritius", "MU", Iso),
    c("MWI", "Malawi", "MW", Iso),
    c("MYS", "Malaysia", "MY", Iso),
    c("MYT", "Mayotte", "YT", Iso),
    c("NAM", "Namibia", "NA", Iso),
    c("NCL", "New Caledonia", "NC", Iso),
    c("NER", "Niger", "NE", Iso),
    c("NFK", "Norfolk Island", "NF", Iso),
    c("NGA", "Nigeria", "NG", Iso),
    c("NIC", "Nicaragua", "NI", Iso),
    c("NIU", "Niue", "NU", Iso),
    c("NLD", "Netherlands", "NL", Iso),
    c("NOR", "Norway", "NO", Iso),
    c("NPL", "Nepal", "NP", Iso),
    c("NRU", "Nauru", "NR", Iso),
    c("NZL", "New Zealand", "NZ", Iso),
    c("OMN", "Oman", "OM", Iso),
    c("PAK", "Pakistan", "PK", Iso),
    c("PAN", "Panama", "PA", Iso),
    c("PCN", "Pitcairn", "PN", Iso),
    c("PER", "Peru", "PE", Iso),
    c("PHL", "Philippines", "PH", Iso),
    c("PLW", "Palau", "PW", Iso),
    c("PNG", "Papua New Guinea", "PG", Iso),
    c("POL", "Poland", "PL", Iso),
    c("PRI", "Puerto Rico", "PR", Iso),
    c("PRK", "North Korea", "KP", Iso),
    c("PRT", "Portugal", "PT", Iso),
    c("PRY", "Paraguay", "PY", Iso),
    c("PSE", "Palestine, State of", "PS", Iso),
    c("PYF", "French Polynesia", "PF", Iso),
    c("QAT", "Qatar", "QA", Iso),
    c("REU", "Réunion", "RE", Iso),
    c("RKS", "Kosovo", "", IcaoOnly),
    c("ROU", "Romania", "RO", Iso),
    c("RUS", "Russian Federation", "RU", Iso),
    c("RWA", "Rwanda", "RW", Iso),
    c("SAU", "Saudi Arabia", "SA", Iso),
    c("SDN", "Sudan", "SD", Iso),
    c("SEN", "Senegal", "SN", Iso),
    c("SGP", "Singapore", "SG", Iso),
    c(
        "SGS",
        "South Georgia and the South Sandwich Islands",
        "GS",
        Iso,
    ),
    c(
        "SHN",
        "Saint Helena, Ascension and Tristan da Cunha",
        "SH",
        Iso,
    ),
    c("SJM", "Svalbard and Jan Mayen", "SJ", Iso),
    c("SLB", "Solomon Islands", "SB", Iso),
    c("SLE", "Sierra Leone", "SL", Iso),
    c("SLV", "El Salvador", "SV", Iso),
    c("SMR", "San Marino", "SM", Iso),
    c("SOM", "Somalia", "SO", Iso),
    c("SPM", "Saint Pierre and Miquelon", "PM", Iso),
    c("SRB", "Serbia", "RS", Iso),
    c("SSD", "South Sudan", "SS", Iso),
    c("STP", "Sao Tome and Principe", "ST", Iso),
    c("SUR", "Suriname", "SR", Iso),
    c("SVK", "Slovakia", "SK", Iso),
    c("SVN", "Slovenia", "SI", Iso),
    c("SWE", "Sweden", "SE", Iso),
    c("SWZ", "Eswatini", "SZ", Iso),
    c("SXM", "Sint Maarten (Dutch part)", "SX", Iso),
    c("SYC", "Seychelles", "SC", Iso),
    c("SYR", "Syria", "SY", Iso),
    c("TCA", "Turks and Caicos Islands", "TC", Iso),
    c("TCD", "Chad", "TD", Iso),
    c("TGO", "Togo", "TG", Iso),
    c("THA", "Thailand", "TH", Iso),
    c("TJK", "Tajikistan", "TJ", Iso),
    c("TKL", "Tokelau", "TK", Iso),
    c("TKM", "Turkmenistan", "TM", Iso),
    c("TLS", "Timor-Leste", "TL", Iso),
    c("TON", "Tonga", "TO", Iso),
    c("TTO", "Trinidad and Tobago", "TT", Iso),
    c("TUN", "Tunisia", "TN", Iso),
    c("TUR", "Türkiye", "TR", Iso),
    c("TUV", "Tuvalu", "TV", Iso),
    c("TWN", "Taiwan", "TW", Iso),
    c("TZA", "Tanzania", "TZ", Iso),
    c("UGA", "Uganda", "UG", Iso),
    c("UKR", "Ukraine", "UA", Iso),
    c("UMI", "United States Minor Outlying Islands", "UM", Iso),
    c(
        "UNA",
        "Specialized agency of the United Nations",
        "",
        IcaoOnly,
    ),
    c(
        "UNK",
        "Resident of Kosovo (UNMIK travel document)",
        "",
        IcaoOnly,
    ),
    c("UNO", "United Nations Organization", "", IcaoOnly),
    c("URY", "Uruguay", "UY", Iso),
    c("USA", "United States", "US", Iso),
    c("UTO", "Utopia (ICAO specimen)", "", Specimen),
    c("UZB", "Uzbekistan", "UZ", Iso),
    c("VAT", "Holy See (Vatican City State)", "VA", Iso),
    c("VCT", "Saint Vincent and the Grenadines", "VC", Iso),
    c("VEN", "Venezuela", "VE", Iso),
    c("VGB", "Virgin Islands, British", "VG", Iso),
    c("VIR", "Virgin Islands, U.S.", "VI", Iso),
    c("VNM", "Vietnam", "VN", Iso),
    c("VUT", "Vanuatu", "VU", Iso),
    c("WLF", "Wallis and Futuna", "WF", Iso),
    c("WSM", "Samoa", "WS", Iso),
    c("XBA", "African Development Bank", "", IcaoOnly),
    c("XCC", "Caribbean Community (CARICOM)", "", IcaoOnly),
    c("XCE", "Council of Europe", "", IcaoOnly),
    c(
        "XCO",
        "Common Market for Eastern and Southern Africa",
        "",
        IcaoOnly,
    ),
    c(
        "XDC",
        "Southern African Development Community",
        "",
        IcaoOnly,
    ),
    c(
        "XEC",
        "Economic Community of West African States",
        "",
        IcaoOnly,
    ),
    c(
        "XES",
        "Organisation of Eastern Caribbean States",
        "",
        IcaoOnly,
    ),
    c("XIM", "African Export-Import Bank", "", IcaoOnly),
    c(
        "XMP",
        "Parliamentary Assembly of the Council of Europe",
        "",
        IcaoOnly,
    ),
    c("XOM", "Sovereign Military Order of Malta", "", IcaoOnly),
    c(
        "XPO",
        "International Criminal Police Organization (INTERPOL)",
        "",
        IcaoOnly,
    ),
    c("XXA", "Stateless person", "", IcaoOnly),
    c("XXB", "Refugee (1951 Convention)", "", IcaoOnly),
    c("XXC", "Refugee (other)", "", IcaoOnly),
    c("XXX", "Unspecified nationality", "", IcaoOnly),
    c("YEM", "Yemen", "YE", Iso),
    c("ZAF", "South Africa", "ZA", Iso),
    c("ZMB", "Zambia", "ZM", Iso),
    c("ZWE", "Zimbabwe", "ZW", Iso),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        for pair in COUNTRIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn holds_iso_and_icao_codes() {
        assert_eq!(COUNTRIES.iter().filter(|c| c.kind == Iso).count(), 249);
        for code in [
            "D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC",
            "XXX", "EUE", "UTO", "XOM", "XPO", "RKS",
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
        assert_eq!(lookup("NLD").and_then(|c| c.alpha2), Some("NL"));
        assert_eq!(lookup("UTO").map(|c| c.kind), Some(Specimen));
        assert_eq!(lookup("GBD").and_then(|c| c.alpha2), None);
        assert!(lookup("").is_none());
        assert!(lookup("QQQ").is_none());
    }
}
