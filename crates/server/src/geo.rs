//! Geo-IP: country (ISO 3166-1 alpha-3) and city of a client address from an optional MaxMind
//! DB file — DB-IP Lite City in ip-location-db's flat layout (`country_code` alpha-2, `city`,
//! …); IP geolocation by DB-IP.com, CC BY 4.0.

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

use crate::error::ServerError;

/// An open geo-IP database.
pub struct GeoIp {
    reader: maxminddb::Reader<Vec<u8>>,
}

impl std::fmt::Debug for GeoIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GeoIp")
    }
}

#[derive(Deserialize)]
struct FlatCity<'a> {
    #[serde(borrow)]
    country_code: Option<&'a str>,
    #[serde(borrow)]
    city: Option<&'a str>,
}

impl GeoIp {
    /// Opens the database file.
    pub fn open(path: &Path) -> Result<Self, ServerError> {
        let reader = maxminddb::Reader::open_readfile(path)
            .map_err(|e| ServerError::Config(format!("geo-IP database {}: {e}", path.display())))?;
        Ok(GeoIp { reader })
    }

    /// `(alpha-3 country, city)` of `ip`, when the database knows it.
    pub fn lookup(&self, ip: IpAddr) -> Option<(String, String)> {
        let rec: FlatCity<'_> = self.reader.lookup(ip).ok()??;
        let country = rec.country_code.and_then(alpha3).unwrap_or("");
        Some((country.to_owned(), rec.city.unwrap_or("").to_owned()))
    }
}

/// ISO 3166-1 alpha-2 → alpha-3 pairs.
const ISO3166: &str = "AD AND AE ARE AF AFG AG ATG AI AIA AL ALB AM ARM AO AGO AQ ATA AR ARG AS ASM \
AT AUT AU AUS AW ABW AX ALA AZ AZE BA BIH BB BRB BD BGD BE BEL BF BFA BG BGR BH BHR BI BDI BJ BEN \
BL BLM BM BMU BN BRN BO BOL BQ BES BR BRA BS BHS BT BTN BV BVT BW BWA BY BLR BZ BLZ CA CAN CC CCK \
CD COD CF CAF CG COG CH CHE CI CIV CK COK CL CHL CM CMR CN CHN CO COL CR CRI CU CUB CV CPV CW CUW \
CX CXR CY CYP CZ CZE DE DEU DJ DJI DK DNK DM DMA DO DOM DZ DZA EC ECU EE EST EG EGY EH ESH ER ERI \
ES ESP ET ETH FI FIN FJ FJI FK FLK FM FSM FO FRO FR FRA GA GAB GB GBR GD GRD GE GEO GF GUF GG GGY \
GH GHA GI GIB GL GRL GM GMB GN GIN GP GLP GQ GNQ GR GRC GS SGS GT GTM GU GUM GW GNB GY GUY HK HKG \
HM HMD HN HND HR HRV HT HTI HU HUN ID IDN IE IRL IL ISR IM IMN IN IND IO IOT IQ IRQ IR IRN IS ISL \
IT ITA JE JEY JM JAM JO JOR JP JPN KE KEN KG KGZ KH KHM KI KIR KM COM KN KNA KP PRK KR KOR KW KWT \
KY CYM KZ KAZ LA LAO LB LBN LC LCA LI LIE LK LKA LR LBR LS LSO LT LTU LU LUX LV LVA LY LBY MA MAR \
MC MCO MD MDA ME MNE MF MAF MG MDG MH MHL MK MKD ML MLI MM MMR MN MNG MO MAC MP MNP MQ MTQ MR MRT \
MS MSR MT MLT MU MUS MV MDV MW MWI MX MEX MY MYS MZ MOZ NA NAM NC NCL NE NER NF NFK NG NGA NI NIC \
NL NLD NO NOR NP NPL NR NRU NU NIU NZ NZL OM OMN PA PAN PE PER PF PYF PG PNG PH PHL PK PAK PL POL \
PM SPM PN PCN PR PRI PS PSE PT PRT PW PLW PY PRY QA QAT RE REU RO ROU RS SRB RU RUS RW RWA SA SAU \
SB SLB SC SYC SD SDN SE SWE SG SGP SH SHN SI SVN SJ SJM SK SVK SL SLE SM SMR SN SEN SO SOM SR SUR \
SS SSD ST STP SV SLV SX SXM SY SYR SZ SWZ TC TCA TD TCD TF ATF TG TGO TH THA TJ TJK TK TKL TL TLS \
TM TKM TN TUN TO TON TR TUR TT TTO TV TUV TW TWN TZ TZA UA UKR UG UGA UM UMI US USA UY URY UZ UZB \
VA VAT VC VCT VE VEN VG VGB VI VIR VN VNM VU VUT WF WLF WS WSM XK XKX YE YEM YT MYT ZA ZAF ZM ZMB \
ZW ZWE";

/// The alpha-3 code of an ISO 3166-1 alpha-2 code (`XK` → `XKX`, Kosovo's user-assigned code).
///
/// ```
/// assert_eq!(idverify_server::geo::alpha3("SE"), Some("SWE"));
/// assert_eq!(idverify_server::geo::alpha3("ZZ"), None);
/// ```
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    let mut it = ISO3166.split_ascii_whitespace();
    while let (Some(a2), Some(a3)) = (it.next(), it.next()) {
        if a2.eq_ignore_ascii_case(alpha2) {
            return Some(a3);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        let words: Vec<&str> = ISO3166.split_ascii_whitespace().collect();
        assert_eq!(words.len() % 2, 0);
        assert_eq!(words.len() / 2, 250);
        for pair in words.chunks(2) {
            assert_eq!(pair[0].len(), 2, "{pair:?}");
            assert_eq!(pair[1].len(), 3, "{pair:?}");
        }
        assert_eq!(alpha3("NL"), Some("NLD"));
        assert_eq!(alpha3("gb"), Some("GBR"));
    }
}
