/* cmds.h - the subcommands of the `sitrep` program. Each takes the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the exit
 * status: 0 ok, 1 some inputs rejected, 2 bad usage. They use only sitrep.h. */
#ifndef SITREP_CMDS_H
#define SITREP_CMDS_H
int cmd_code(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_segment(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval_parse(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_summary(int argc, char **argv);
#endif
