import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail { to: string; subject: string; text: string; attachments: { filename: string; contentType: string; content: Buffer }[] }

/** A real local SMTP server on 127.0.0.1 (random port) that keeps what it receives, parsed. */
export async function startSmtpSink(): Promise<{ url: string; port: number; received: ReceivedMail[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
    onData(stream: NodeJS.ReadableStream, _session: unknown, done: (e?: Error) => void) {
      simpleParser(stream).then((m: { to: { text: string }; subject: string; text: string; attachments: ReceivedMail["attachments"] }) => {
        received.push({ to: m.to.text, subject: m.subject, text: m.text, attachments: m.attachments });
        done();
      }, done);
    },
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, port, received, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
