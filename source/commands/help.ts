export const HELP = `
  bringup: bring up STM32 boards over USB DFU

  Usage
    bringup                          open the assistant (Devices, Flash, Checklist, Log)
    bringup list                     list USB devices; DFU devices decoded        (-l)
    bringup flash FILE [-s ADDR[:leave]]  erase, program, verify, leave           (-D FILE)
    bringup read OUT -s ADDR:LEN     read memory to a file                         (-U FILE)
    bringup inspect FILE [--chip NAME]    will this image boot on this chip?
    bringup doctor [--image FILE]    run the boot-failure checklist's automatic steps
    bringup convert IN[@ADDR]... -o OUT.dfu|.hex|.bin
    bringup erase --yes              mass erase the chip                           (-s :mass-erase:force)
    bringup unprotect --yes          remove read protection (erases the chip)      (-s :unprotect:force)
    bringup replay FILE              print a recorded session (--replay FILE opens it in the assistant)
    bringup sim --usbip              export the simulated board over USB/IP on 127.0.0.1:3240

  dfu-util flags (same meaning)
    -d VID:PID[,VID:PID]  -p PATH  -S SERIAL  -c CONFIG  -i INTF  -a ALT (number or name)
    -s ADDR[:leave|:mass-erase|:unprotect|:force|:will-reset|:LEN]  -t SIZE
    -D FILE  -U FILE  -l  -e (detach)  -R (reset after)  -w (wait for the device)
    A bare dfu-util line works too:  bringup -a 0 -s 0x08000000:leave -D my.bin

  Options
    --sim[=PROFILE/SCENARIO]   use the simulated board, e.g. --sim=f446/wrp. Profiles held
                               against real captures: f407 f407-v21 f401 f411 f446 f429 f72x
                               h743 h750 h7a3 f042 f072 f105 f107 g0b1 g0c1 g431 l43x l07x
                               l08x;
                               without one (inferred): f746 g474. Scenarios: healthy
                               wrong-mcu link-offset boot0-high rdp1 wrp iwdg-hw no-app-usb blank
    --board-file PATH          keep the simulated board's flash and option bytes in PATH
    --fault SPEC               simulator faults: unplug-at-block=N, stall-request=K,
                               status-error-at-block=N[:errPROG], readback-bitflip=ADDR:BIT,
                               wedged-busy=N, error-on-entry (comma-separated)
    --realtime                 the simulated board takes its datasheet time for real
    --no-verify                skip the read-back after flashing (verify is on by default)
    --voltage V                the board's supply (e.g. 3.3): F2/F4/F7 loaders then program
                               32-bit words, 2-3x faster; remembered per board ("none" forgets)
    --all                      flash every DFU device the -d/-p/-S filters match, in parallel;
                               one result line each, exit code = number of boards that failed.
                               flash also takes -p and -S more than once: each names a board
    --boards N                 --sim attaches N boards on bus 1 (e.g. --sim=f407 --boards 8)
    --full                     erase and write every sector the image touches (default: read
                               them back first and skip those already holding the image)
    --force                    flash even when the inspector finds errors (also -s ...:force);
                               replace an existing output file (read, convert, --report)
    --yes                      confirm a destructive operation without asking
    --chip NAME                target chip for inspect without a device (e.g. STM32F407)
    --address ADDR             where a raw image goes, for inspect and doctor
    --image FILE, --sha256 HEX what doctor compares the flash with; --report FILE: Markdown report
    -o OUT, --vid/--pid/--bcd  convert's output file and the DfuSe suffix ids
    --listen HOST:PORT         sim --usbip's address (default 127.0.0.1:3240)
    --json                     NDJSON events, last line a result object
    --record FILE              write every event of this session to FILE (NDJSON)
    --version, --help

  Exit codes: 0 done, 1 device or operation failed, 2 bad input or usage, 3 no device or no permission

  Examples
    $ bringup list --sim
    $ bringup flash my.bin -s 0x08000000:leave
    $ bringup read back.bin -a 0 -s 0x08000000:0x40000
    $ bringup inspect my.elf --chip STM32F407
    $ bringup doctor --sim=boot0-high --json
`;
