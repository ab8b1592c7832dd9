// Each runtime's copy of the facade throws the package's one GenAuthError
// class, so `instanceof` holds whichever entry threw.
export * from "../error.js";
