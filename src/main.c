/* newsdesk: a news-feed publishing engine. All wiring happens in cli/. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
