/**
 * A measurement a test reports on purpose (load, fuzz and fault figures): printed as plain lines,
 * without the stack location jest adds to console.log, so that a green run stays short.
 */
export const report = (text: string): void => {
  process.stderr.write(`${text}\n`);
};
