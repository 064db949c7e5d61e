//! Listings: the types of a listing operation read off the generated code
//! (page, items, item, error body), and the `pages()`/`stream()` of each
//! paginated one, driven by the runtime as its `x-pagination` says.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::runtime_paths::{
    AS_U64, BY_CURSOR, BY_CURSOR_WALK, BY_LINK, BY_LINK_WALK, BY_POSITION, BY_POSITION_WALK, COUNTING, ITEM_LISTS,
    ITEMS, ITEMS_OF, LINK_HEADER_NEXT, PAGES, PAGING, RECOVER,
};
use crate::{
    codegen::{Generated, OperationPlan, Paging, PagingStyle},
    load::SpecError,
    model::Spec,
    type_index::{Shape, TypeIndex, integer_primitive, shape},
};

/// The streams of each paginated operation: `pages()`, `stream()` and their
/// `_with(Paging)` forms, driven by the runtime with the request as built.
pub(crate) fn operation_streams(spec: &Spec, generated: &Generated) -> Result<TokenStream, SpecError> {
    let mut out = TokenStream::new();
    for op in generated.paginated() {
        let Some(paging) = &op.paging else { continue };
        let error = |message: String| SpecError {
            file: spec.file.clone(),
            pointer: format!("x-pagination of {}", op.id()),
            message,
        };
        let method_of = |setter: &crate::codegen::Setter| format_ident!("{}", setter.method);
        let listing = listing(generated, op, &paging.items).map_err(&error)?;
        let (page_type, error_type, item_type) = (&listing.page_type, &listing.error_type, &listing.item_type);
        let items = &listing.items;
        let recover = listing.recover(None);
        let (provider, operation) = (&spec.sdk.provider, op.id());
        let index = TypeIndex::new(&generated.file);
        let printed = |ty: &syn::Type| ty.to_token_stream().to_string().replace(' ', "");
        let len = quote!(|page| page #(.#items)*.len());
        let last = last_read(&index, &listing.page_type, paging).map_err(&error)?;
        let names = quote!((#provider, #operation));
        let walk = match &paging.style {
            PagingStyle::Cursor {
                cursor: cursor_setter,
                next_cursor,
                ..
            } => {
                let path = index.walk_optional(&listing.page_type, next_cursor).map_err(&error)?;
                let read = next_cursor_read(&path.fields);
                // An empty string cursor is no cursor: the last page.
                let next = match shape(&path.ty) {
                    Shape::String => quote!(#read.filter(|cursor| !cursor.is_empty())),
                    _ if integer_primitive(&path.ty).is_some() => read,
                    _ => {
                        return Err(error(format!(
                            "`nextCursor` is a `{}`, not a string or an integer",
                            printed(&path.ty)
                        )));
                    }
                };
                let method = method_of(cursor_setter);
                let parameter = &cursor_setter.parameter;
                // The cursor as the parameter takes it: as it came, or as text.
                let sent = match (shape(&cursor_setter.ty), shape(&path.ty)) {
                    (Shape::String, Shape::String) => quote!(cursor),
                    (Shape::String, _) => quote!(cursor.to_string()),
                    _ if printed(&cursor_setter.ty) == printed(&path.ty) => quote!(cursor),
                    _ => {
                        return Err(error(format!(
                            "`{parameter}` takes a `{}`, but `nextCursor` is a `{}`",
                            printed(&cursor_setter.ty),
                            printed(&path.ty)
                        )));
                    }
                };
                quote! {
                    #BY_CURSOR(#names, self, paging, #BY_CURSOR_WALK {
                        with_cursor: |request, cursor| request.#method(#sent),
                        send: |request| request.send(),
                        next_cursor: |page| #next,
                        last: #last,
                        len: #len,
                        recover: #recover,
                    })
                }
            }
            PagingStyle::Page { default_size, .. } | PagingStyle::Offset { default_size, .. } => {
                let (position, size) = paging.style.positional().expect("a positional style");
                let counting = match &paging.style {
                    PagingStyle::Offset { .. } => quote!(#COUNTING::Offsets),
                    _ => quote!(#COUNTING::Pages),
                };
                let (position_method, size_method) = (method_of(position), method_of(size));
                let default = match default_size.map(proc_macro2::Literal::u64_unsuffixed) {
                    Some(n) => quote!(Some(#n)),
                    None => quote!(None),
                };
                // What the request was given itself (the fields are named as their setters).
                let own = |field: &syn::Ident| quote!(request.#field.as_ref().ok().and_then(|value| *value).and_then(#AS_U64));
                let (own_position, own_size) = (own(&position_method), own(&size_method));
                quote! {
                    #BY_POSITION(#names, self, paging,
                        #BY_POSITION_WALK {
                            counting: #counting,
                            own: |request| (#own_position, #own_size),
                            with_position: |request, position, size| {
                                let request = request.#position_method(position);
                                match size {
                                    Some(size) => request.#size_method(size),
                                    None => request,
                                }
                            },
                            send: |request| request.send(),
                            len: #len,
                            last: #last,
                            default_page_size: #default,
                            recover: #recover,
                        })
                }
            }
            PagingStyle::NextLink { next_link, .. } => {
                let path = index.walk_optional(&listing.page_type, next_link).map_err(&error)?;
                if shape(&path.ty) != Shape::String {
                    return Err(error(format!("`nextLink` is a `{}`, not a string", printed(&path.ty))));
                }
                let read = next_cursor_read(&path.fields);
                quote! {
                    #BY_LINK(#names, self, paging, #BY_LINK_WALK {
                        send: |request| request.send(),
                        next: |page, _| #read.filter(|link| !link.is_empty()),
                        last: #last,
                        len: #len,
                        recover: #recover,
                    })
                }
            }
            PagingStyle::LinkHeader => quote! {
                #BY_LINK(#names, self, paging, #BY_LINK_WALK {
                    send: |request| request.send(),
                    next: |_, headers| headers.and_then(#LINK_HEADER_NEXT),
                    last: #last,
                    len: #len,
                    recover: #recover,
                })
            },
        };
        let builder = format_ident!("{}", op.builder);
        let example = stream_example(spec, op);
        out.extend(quote! {
            impl<'a> builder::#builder<'a> {
                /// Every page of this listing, requested as the stream is read, with
                /// every other parameter set on this request kept on each page.
                ///
                /// Ends after the last page, or with an error: a failed page, a server that
                /// answers with the same page, cursor or link again, a next link to another
                /// origin than the client's, or more pages than [`Paging::max_pages`].
                pub fn pages(self) -> #PAGES<'a, #page_type, #error_type> {
                    self.pages_with(#PAGING::default())
                }

                /// [`Self::pages`], walked as `paging` says (pages fetched ahead, most pages,
                /// page size).
                pub fn pages_with(self, paging: #PAGING) -> #PAGES<'a, #page_type, #error_type> {
                    #walk
                }

                /// Every item of every page of this listing, one page in memory at a time.
                ///
                /// The stream borrows the client; `.into_owned()` before `.stream()` gives
                /// one that owns a clone of it (`'static` and `Send`, for `tokio::spawn`).
                #(#[doc = #example])*
                pub fn stream(self) -> #ITEMS<'a, #item_type, #error_type> {
                    self.stream_with(#PAGING::default())
                }

                /// [`Self::stream`], walked as `paging` says.
                pub fn stream_with(self, paging: #PAGING) -> #ITEMS<'a, #item_type, #error_type> {
                    #ITEMS_OF(self.pages_with(paging), |page| page #(.#items)*)
                }
            }
        });
    }
    Ok(out)
}

/// The doc example of a listing's `stream()`, one line per doc attribute.
fn stream_example(spec: &Spec, op: &OperationPlan) -> Vec<String> {
    let krate = super::crate_ident(&spec.sdk.crate_name);
    let text = format!(
        "\n# Example\n\n```no_run\n\
         # async fn example(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         use futures_util::TryStreamExt;\n\n\
         let mut items = client.{}().stream();\n\
         while let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}\n\
         # Ok(())\n# }}\n```",
        op.method
    );
    text.lines().map(|line| format!(" {line}")).collect()
}

/// The types of a listing operation, read off the generated code.
pub(crate) struct Listing {
    /// The type of a response (a page), in the provider crate.
    pub page_type: syn::Type,
    /// The type of the documented error body (`String` for raw bodies).
    pub error_type: syn::Type,
    /// The fields (outermost first) that hold the items in a page.
    pub items: Vec<syn::Ident>,
    /// The type of an item, in the provider crate.
    pub item_type: syn::Type,
    /// The JSON pointer of the items, and of every list of the page holding
    /// items of the same type (empty when items are not a generated type).
    item_lists: (String, Vec<String>),
}

impl Listing {
    /// The runtime's `Recover` of this listing: a page that does not decode,
    /// read item by item. Its types are named from outside the provider
    /// crate when `krate` is given.
    pub(crate) fn recover(&self, krate: Option<&syn::Ident>) -> TokenStream {
        let (items, same_type) = &self.item_lists;
        if same_type.is_empty() {
            return quote!(|_| None);
        }
        let named = |ty: &syn::Type| match krate {
            Some(krate) => crate::type_index::qualify(ty, krate),
            None => ty.clone(),
        };
        let (page_type, item_type) = (named(&self.page_type), named(&self.item_type));
        quote! {
            |error| #RECOVER::<#page_type, #item_type, _>(
                error,
                #ITEM_LISTS { items: #items, same_type: &[#(#same_type),*] },
            )
        }
    }
}

/// The type an operation's error body has for the caller: `String` where
/// progenitor reads it as bytes.
pub(crate) fn caller_error_type(op: &OperationPlan) -> syn::Type {
    match shape(&op.error) {
        Shape::ByteStream if !op.error_by_status => syn::parse_quote!(String),
        _ => op.error.clone(),
    }
}

/// The types of `op`'s listing, its items at the JSON pointer `items`.
pub(crate) fn listing(generated: &Generated, op: &OperationPlan, items: &str) -> Result<Listing, String> {
    let index = TypeIndex::new(&generated.file);
    let path = index.walk(&op.success, items)?;
    let Shape::Vec(item) = crate::type_index::shape(&path.ty) else {
        let printed = path.ty.to_token_stream().to_string().replace(' ', "");
        return Err(format!("`items` is a `{printed}`, not an array"));
    };
    let (item_type, same_type) = match shape(item) {
        Shape::Generated(name) => {
            let lists = index.lists_of(&op.success, &name);
            let name = syn::Ident::new(&name, proc_macro2::Span::call_site());
            (syn::parse_quote!(types::#name), lists)
        }
        _ => (item.clone(), Vec::new()),
    };
    Ok(Listing {
        page_type: op.success.clone(),
        error_type: caller_error_type(op),
        items: path.fields.into_iter().cloned().collect(),
        item_type,
        item_lists: (items.to_owned(), same_type),
    })
}

/// Whether a page says it is the last, from its `hasMore` (a boolean) and
/// its `total` (an integer, against the items read so far), where the
/// listing's `x-pagination` names them: `|page, seen| -> Option<bool>`.
fn last_read(index: &TypeIndex, page_type: &syn::Type, paging: &Paging) -> Result<TokenStream, String> {
    let printed = |ty: &syn::Type| ty.to_token_stream().to_string().replace(' ', "");
    let mut reads = Vec::new();
    if let Some(pointer) = &paging.has_more {
        let path = index.walk_optional(page_type, pointer)?;
        if printed(&path.ty) != "bool" {
            return Err(format!("`hasMore` is a `{}`, not a boolean", printed(&path.ty)));
        }
        let read = next_cursor_read(&path.fields);
        reads.push(quote!(#read.map(|more| !more)));
    }
    if let Some(pointer) = &paging.total {
        let path = index.walk_optional(page_type, pointer)?;
        if integer_primitive(&path.ty).is_none() {
            return Err(format!("`total` is a `{}`, not an integer", printed(&path.ty)));
        }
        let read = next_cursor_read(&path.fields);
        reads.push(quote!(#read.and_then(#AS_U64).map(|total| seen >= total)));
    }
    Ok(match &reads[..] {
        [] => quote!(|_, _| None),
        [only] if paging.total.is_none() => quote!(|page, _| #only),
        [only] => quote!(|page, seen| #only),
        [first, rest @ ..] => quote!(|page, seen| #first #(.or(#rest))*),
    })
}

/// The read of a page's next cursor along `fields` (each with whether it is
/// optional), as an `Option` of the cursor: a plain field access where only the
/// last field may be absent, else a chain that stops at the first absent one.
fn next_cursor_read(fields: &[(Option<&syn::Ident>, bool)]) -> TokenStream {
    let member = |field: &Option<&syn::Ident>| match field {
        Some(name) => quote!(#name),
        None => quote!(0),
    };
    let names = fields.iter().map(|(field, _)| member(field));
    match fields.split_last() {
        Some(((_, last_optional), before)) if before.iter().all(|(_, optional)| !optional) => match last_optional {
            true => quote!(page #(.#names)*.clone()),
            false => quote!(Some(page #(.#names)*.clone())),
        },
        _ => {
            let steps = fields.iter().map(|(field, optional)| {
                let field = member(field);
                match optional {
                    true => quote!(.and_then(|value| value.#field.as_ref())),
                    false => quote!(.map(|value| &value.#field)),
                }
            });
            quote!(Some(page) #(#steps)*.cloned())
        }
    }
}
