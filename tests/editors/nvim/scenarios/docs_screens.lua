-- What a user sees of a failing run, a timeout and a success, as screens for the docs:
-- diagnostics as virtual text (off by default in Neovim 0.11), a success as the plugin shows it.
local WAITS = [[
#!/usr/bin/env python3
"""Waits for a service that never answers: only the timeout, or a cancel, ends it."""
import json
import sys
import time

inputs = json.load(sys.stdin)
while True:
    time.sleep(0.2)  # polls the service
print(json.dumps({"success": True}))
]]

return function(h)
  vim.o.columns, vim.o.lines = 110, 34
  vim.o.background = "dark"
  vim.cmd("syntax on")
  vim.diagnostic.config({ virtual_text = true })
  require("scriptcontract").setup({ cmd = h.server_cmd(), settings = { run = { timeoutMs = 3000 } } })
  h.record_notifications()
  vim.o.columns = 110
  vim.notify = function(message, level)
    table.insert(h.facts.notifications, { message = message, level = level })
    vim.api.nvim_echo({ { message } }, false, {})
  end
  -- Relative names, as a user who started Neovim in the project sees them.
  vim.fn.writefile(vim.split(WAITS, "\n"), "scripts/wait_for_service.py")

  local function shoot(name, script, pattern)
    local bufnr = h.open("scripts/" .. script)
    vim.cmd("ScriptContractRun {}")
    h.result_lines(script, pattern)
    local line
    h.wait("the run's diagnostic or hint", function()
      local found = h.diagnostics(bufnr, "scriptcontract-run")
      local hints = h.inlay_hints(bufnr)
      line = (found[1] and found[1].lnum) or (hints[1] and hints[1].line)
      return line ~= nil
    end)
    -- The line the run points at, in the middle of the code window.
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    vim.cmd("normal! zz")
    h.wait("the success beside its line, or a failure", function()
      local shown = vim.api.nvim_buf_get_extmarks(bufnr, require("scriptcontract.inline").ns, 0, -1, {})
      return #shown > 0 or #h.diagnostics(bufnr, "scriptcontract-run") > 0
    end)
    -- A success goes on from the code lens's outcome on the same line ("· ✓ 3 ms → {...}").
    h.wait("the run's outcome in the lens", function()
      for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
        if lens.command and lens.command.title:find("Run with inputs · ", 1, true) then
          return true
        end
      end
      return #h.diagnostics(bufnr, "scriptcontract-run") > 0
    end)
    h.facts[name] = h.screen()
  end
  shoot("failure", "broken_no_error_handling.py", "KeyError")
  shoot("timeout", "wait_for_service.py", "timed out")
  shoot("success", "hello.py", "Hello")
end
