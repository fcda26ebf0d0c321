// smtp-server and mailparser ship no types; the test sink uses a small part of each.
declare module "smtp-server";
declare module "mailparser";
