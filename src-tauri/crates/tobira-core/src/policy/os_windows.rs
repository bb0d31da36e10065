//! Windows: Group Policy's values under `SOFTWARE\Policies\Tobira`, the
//! machine's (HKLM) before the user's (HKCU). Only the registry calls are
//! here; which value means what is [`super::reg_file::reading_of`] and
//! [`super::store`], tested everywhere.

use std::io;
use std::path::PathBuf;

use windows_registry::{Key, Type, Value, CURRENT_USER, LOCAL_MACHINE};

use super::reg_file::{self, Tree, HIVES, POLICY_KEY};
use super::store::StoreValue;
use super::{PolicyError, StoreInput};

pub(super) fn stores() -> Vec<StoreInput> {
    [LOCAL_MACHINE, CURRENT_USER]
        .into_iter()
        .zip(HIVES)
        .map(|(root, hive)| hive_store(root, hive))
        .collect()
}

fn hive_store(root: &Key, hive: &str) -> StoreInput {
    let name = format!("{hive}\\{POLICY_KEY}");
    let reading = match root.open(POLICY_KEY) {
        Err(e) if io::Error::from(e.clone()).kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
        Ok(key) => {
            let mut tree = Tree::new();
            read_tree(&key, Vec::new(), &mut tree)
                .map(|()| Some(reg_file::reading_of(tree, "").into_raw()))
        }
    };
    StoreInput {
        path: PathBuf::from(&name),
        reading: reading.map_err(|e| PolicyError::Unreadable {
            path: PathBuf::from(&name),
            source: e.into(),
        }),
        name,
    }
}

/// The key's values and its subkeys', names in lower case (the registry
/// ignores case).
fn read_tree(key: &Key, path: Vec<String>, tree: &mut Tree) -> windows_registry::Result<()> {
    let values = key
        .values()?
        .map(|(name, value)| (name.to_ascii_lowercase(), store_value(value)))
        .collect();
    tree.insert(path.clone(), values);
    for name in key.keys()? {
        let mut sub = path.clone();
        sub.push(name.to_ascii_lowercase());
        read_tree(&key.open(&name)?, sub, tree)?;
    }
    Ok(())
}

fn store_value(value: Value) -> StoreValue {
    let ty = value.ty();
    let read = match ty {
        Type::U32 => u32::try_from(value).map(|n| StoreValue::Number(n.into())),
        Type::String => String::try_from(value).map(StoreValue::Text),
        _ => {
            return StoreValue::Unsupported(format!("a {ty:?} value, a kind Tobira does not read"))
        }
    };
    read.unwrap_or_else(|_| StoreValue::Unsupported(format!("an unreadable {ty:?} value")))
}
