//! One odd item does not hide the rest of a listing. A page that does not
//! decode as a whole is read again item by item: the items that decode stay
//! in the page, and each one that does not becomes an
//! [`ErrorKind::InvalidItem`](crate::ErrorKind::InvalidItem) with its index,
//! its JSON and the reason. This runs only when a page has failed: a page
//! that decodes is decoded once, as it always was.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Error;

/// Where a page's items are: the JSON pointer of the listing's items (`""`
/// for a page that is a bare array), and of every other list in the page
/// that holds items of the same type (Asters repeats its workspaces in three
/// lists); a bad item is left out of each of them, and reported once, from
/// `items`.
#[derive(Debug, Clone, Copy)]
pub struct ItemLists {
    /// The listing's items.
    pub items: &'static str,
    /// Every list of the page holding items of the same type, `items` included.
    pub same_type: &'static [&'static str],
}

/// A page read item by item: the page with the items that decode, an error
/// for each that does not, and how many items the page held in all.
pub struct Recovered<P, E> {
    /// The page, with the items that decode.
    pub page: P,
    /// One [`ErrorKind::InvalidItem`](crate::ErrorKind::InvalidItem) per item
    /// that does not decode, in the page's order.
    pub errors: Vec<Error<E>>,
    /// The items of the listing's list, good and bad.
    pub count: usize,
}

/// The page of `error` read item by item as items of `T`, if `error` is a
/// success body that did not decode, its lists are where `lists` says, and
/// the page decodes once its bad items are left out. `None` otherwise: the
/// error stands.
pub fn recover<P: DeserializeOwned, T: DeserializeOwned, E>(
    error: &Error<E>,
    lists: ItemLists,
) -> Option<Recovered<P, E>> {
    let mut page: Value = serde_json::from_str(error.whole_body()?).ok()?;
    let mut errors = Vec::new();
    let mut count = 0;
    for &pointer in lists.same_type {
        let Some(Value::Array(items)) = page.pointer_mut(pointer) else {
            continue;
        };
        let reported = pointer == lists.items;
        if reported {
            count = items.len();
        }
        let mut index = 0;
        items.retain(|item| {
            let decoded = T::deserialize(item);
            if let (Err(reason), true) = (&decoded, reported) {
                errors.push(error.invalid_item(index, item.to_string(), reason.to_string()));
            }
            index += 1;
            decoded.is_ok()
        });
    }
    if errors.is_empty() {
        return None;
    }
    let page = P::deserialize(page).ok()?;
    Some(Recovered { page, errors, count })
}
