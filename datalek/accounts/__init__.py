"""Who is acting and what they may do: sign-in, accounts and organisations, the one permission
entry point (``permissions.require``) and the hash-chained audit trail. Every stage uses it."""
