"""The delegations' portal: accounts and sign-in, the JSON API and the browser pages, served by `accord portal`."""
