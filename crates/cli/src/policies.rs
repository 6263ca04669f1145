//! The document-check policy of each application, from the configuration's `[policy]` table:
//! its keys are the default for every application, and `[policy.apps."<app id>"]` overrides
//! some of them for one application (the `image` table key by key).
//!
//! ```toml
//! [policy]
//! minimum_age = 18
//! accepted_document_types = ["passport", "id-card"]
//!
//! [policy.apps."3f2a…"]
//! minimum_age = 21
//! image = { min_sharpness = 40.0 }
//! status_overrides = { DC031 = "approved" }
//! face = { require_selfie = true, match_threshold = 0.4 }
//! ```

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use idverify_check::Policy;

/// The default policy and the per-application ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policies {
    default: Policy,
    apps: BTreeMap<String, Policy>,
}

impl Policies {
    /// Parses and validates the `[policy]` table.
    pub fn from_table(table: &toml::Table) -> Result<Policies> {
        let mut base = table.clone();
        let apps = match base.remove("apps") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t,
            Some(_) => bail!("policy.apps must be a table of application ids"),
        };
        let default = parse(&base).context("[policy]")?;
        let mut per_app = BTreeMap::new();
        for (app, value) in apps {
            let toml::Value::Table(over) = value else {
                bail!("policy.apps.{app:?} must be a table");
            };
            let merged = merge(&base, &over);
            let policy = parse(&merged).with_context(|| format!("[policy.apps.{app:?}]"))?;
            per_app.insert(app, policy);
        }
        Ok(Policies {
            default,
            apps: per_app,
        })
    }

    /// The policy for `app_id`: its own when configured, else the default.
    pub fn for_app(&self, app_id: &str) -> &Policy {
        self.apps.get(app_id).unwrap_or(&self.default)
    }
}

fn parse(table: &toml::Table) -> Result<Policy> {
    let policy: Policy = toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| anyhow::anyhow!("{}", e.message()))?;
    policy.validate()?;
    Ok(policy)
}

/// `over`'s keys replace `base`'s; tables (such as `image`) are merged key by key.
fn merge(base: &toml::Table, over: &toml::Table) -> toml::Table {
    let mut out = base.clone();
    for (k, v) in over {
        let merged = match (out.get(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => toml::Value::Table(merge(b, o)),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use idverify_mrz::DocumentType;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn face_match_policy_per_application() {
        let p = Policies::from_table(&table(
            r#"
            face = { match_threshold = 0.4 }
            [apps."strict"]
            face = { require_selfie = true }
            "#,
        ))
        .unwrap();
        assert!(!p.for_app("other").face.require_selfie);
        assert_eq!(p.for_app("other").face.match_threshold, 0.4);
        assert!(p.for_app("strict").face.require_selfie);
        assert_eq!(p.for_app("strict").face.match_threshold, 0.4);
        assert!(Policies::from_table(&table("face = { match_threshold = 1.5 }")).is_err());
    }

    #[test]
    fn empty_is_the_default_policy() {
        let p = Policies::from_table(&toml::Table::new()).unwrap();
        assert_eq!(p.for_app("any"), &Policy::default());
    }

    #[test]
    fn apps_override_the_default_key_by_key() {
        let p = Policies::from_table(&table(
            r#"
            minimum_age = 19
            accepted_document_types = ["passport"]
            image = { min_sharpness = 30.0, min_long_side = 500 }
            [apps.strict]
            minimum_age = 21
            image = { min_sharpness = 45.0 }
            status_overrides = { DC031 = "approved" }
            "#,
        ))
        .unwrap();
        let d = p.for_app("other");
        assert_eq!(d.minimum_age, 19);
        assert_eq!(d.accepted_document_types, vec![DocumentType::Passport]);
        assert!((d.image.min_sharpness - 30.0).abs() < 1e-9);
        let s = p.for_app("strict");
        assert_eq!(s.minimum_age, 21);
        assert_eq!(s.accepted_document_types, vec![DocumentType::Passport]);
        assert!((s.image.min_sharpness - 45.0).abs() < 1e-9);
        assert_eq!(s.image.min_long_side, 500);
        assert_eq!(s.status_overrides.len(), 1);
        assert!(d.status_overrides.is_empty());
    }

    #[test]
    fn bad_policies_are_refused_with_the_table_named() {
        let e = Policies::from_table(&table("minimum_age = \"x\"")).unwrap_err();
        assert!(format!("{e:#}").starts_with("[policy]"), "{e:#}");
        let e = Policies::from_table(&table("[apps.a]\nminimum_agee = 3")).unwrap_err();
        let m = format!("{e:#}");
        assert!(
            m.contains("policy.apps.\"a\"") && m.contains("minimum_agee"),
            "{m}"
        );
        let e = Policies::from_table(&table(
            "[apps.a]\nstatus_overrides = { DC999 = \"declined\" }",
        ))
        .unwrap_err();
        assert!(format!("{e:#}").contains("DC999"), "{e:#}");
        let e = Policies::from_table(&table("accepted_issuing_countries = [\"QQQ\"]")).unwrap_err();
        assert!(format!("{e:#}").contains("QQQ"), "{e:#}");
        assert!(Policies::from_table(&table("apps = 3")).is_err());
    }
}
