//! Linux and the BSDs: the policy file is the only store.

pub(super) fn stores() -> Vec<super::StoreInput> {
    Vec::new()
}
