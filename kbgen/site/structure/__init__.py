"""Plain data of the help center's pages: listings, pagination, breadcrumbs, neighbours. No rendering, no MkDocs."""
