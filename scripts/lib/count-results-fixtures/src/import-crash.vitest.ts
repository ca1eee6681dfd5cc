// A file that cannot even be loaded: vitest reports it with no test at all.
throw new Error("a module it imports is missing");
