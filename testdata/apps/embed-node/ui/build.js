// Builds the UI: copies ui/src into ui/build, stamping the page.
const fs = require("fs");
const path = require("path");

const src = path.join(__dirname, "src");
const out = path.join(__dirname, "build");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const name of fs.readdirSync(src)) {
  const text = fs.readFileSync(path.join(src, name), "utf8");
  fs.writeFileSync(path.join(out, name), text.replace("{{built}}", "built by npm run build"));
}
console.log("ui/build written");
