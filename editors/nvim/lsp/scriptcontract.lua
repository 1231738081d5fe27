-- The scriptcontract language server for Neovim 0.11+: `vim.lsp.enable("scriptcontract")`.
-- Tune it with `vim.lsp.config("scriptcontract", {...})` or `require("scriptcontract").setup(opts)`.

---@type vim.lsp.Config
return {
  cmd = { "scriptcontract", "serve" },
  -- JSON for the scripts' cases and inputs files (`<script>.cases.json`, `<script>.inputs.json`)
  -- only: see root_dir.
  filetypes = { "python", "json" },
  root_markers = { "scriptcontract.toml", "pyproject.toml", ".git" },
  root_dir = function(bufnr, on_dir)
    require("scriptcontract.cases").root_dir(bufnr, on_dir)
  end,
  -- Server settings go under `settings.scriptcontract` (see docs/editors/neovim.md); they reach
  -- the server both as initializationOptions and through workspace/configuration.
  settings = {},
  before_init = function(params, config)
    local settings = (config.settings or {}).scriptcontract
    params.initializationOptions = {
      settings = (settings and next(settings)) and settings or vim.empty_dict(),
    }
  end,
  -- The plugin shows a run's outcome itself (notification, result window), so the server
  -- sends no second message when a run is refused.
  -- Neovim 0.11 has no handler of its own for workspace/codeLens/refresh (below): the lenses
  -- would keep a run's old outcome until the user enters the buffer again.
  capabilities = {
    experimental = { scriptcontract = { runOutcomes = true } },
    workspace = { codeLens = { refreshSupport = true } },
  },
  handlers = {
    -- Messages stay on one line: a longer one would stop Neovim at a "Press ENTER" prompt.
    ["window/showMessage"] = function(_, params, ctx)
      return require("scriptcontract.messages").show_message(params, ctx)
    end,
    -- The server's lenses changed (a run's outcome, "+ Add as case", a case's result).
    ["workspace/codeLens/refresh"] = function(_, _, ctx)
      return require("scriptcontract").refresh_lenses(ctx.client_id)
    end,
  },
  -- The "Run with inputs" code action and code lens carry scriptcontract.run; handling it here
  -- (Neovim then does not send it to the server) lets it prompt for inputs first.
  commands = {
    ["scriptcontract.run"] = function(command, ctx)
      require("scriptcontract.run").from_command(command, ctx)
    end,
    -- The cases' runs fill the quickfix list, as :ScriptContractTest does (see cases.lua).
    ["scriptcontract.runCases"] = function(command, ctx)
      require("scriptcontract.cases").from_command(command, ctx)
    end,
    -- The added case is written to its file (see cases.lua).
    ["scriptcontract.addCase"] = function(command, ctx)
      require("scriptcontract.cases").add_case(command, ctx)
    end,
    -- "Save input as case" on what exploration found: added and written the same way.
    ["scriptcontract.saveExploredCase"] = function(command, ctx)
      require("scriptcontract.cases").add_case(command, ctx)
    end,
    -- "Use .venv/bin/python for runs": only the client can set its settings (see use_python.lua).
    ["scriptcontract.usePython"] = function(command, ctx)
      require("scriptcontract.use_python").from_command(command, ctx)
    end,
    -- "Debug with inputs": the same prompt, then a session through nvim-dap.
    ["scriptcontract.debug"] = function(command, ctx)
      require("scriptcontract.debug").from_command(command, ctx)
    end,
  },
}
