// Entry point: parse the command line and run the matching command.
const HELP = `photorescue — get deleted photos and videos back from cards, disks and images

Usage:
  photorescue                         open the dashboard
  photorescue recover <image|device> --out DIR [--types jpeg,heic,mp4,mov] [--deep] [--json]
  photorescue scan <image|device>     list what can be recovered, write nothing
  photorescue partitions <image|device>
  photorescue devices
`;
process.stdout.write(HELP);
