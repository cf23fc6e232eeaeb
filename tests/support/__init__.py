"""What tests use but is no test: the Graph test server, the in-memory fakes of the ports, and
the kits that build dossiers, events, Word documents and sign-ins."""
