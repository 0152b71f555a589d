/*
 * cli: the newsdesk command and its subcommands. This is where modules are wired
 * together (DESIGN.md: cli/ may use everything); each subcommand parses its options,
 * calls into the modules and turns errors into a message and an exit status.
 */
#ifndef CLI_H
#define CLI_H

/** Runs the command line; returns the process exit status (0 ok, 1 failure, 2 usage). */
int cli_main(int argc, char **argv);

#endif
