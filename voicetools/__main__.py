from voicetools.cli.app import main

main()
