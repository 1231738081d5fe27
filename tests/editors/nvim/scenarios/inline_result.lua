-- A success shows beside the entry line without inlay hints on: the plugin's own virtual text,
-- the server's hint's text at its line; an edit elsewhere keeps it, an edit of the line or the
-- next run takes it away; inline_result = false and inlay hints on leave it to Neovim's hints.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local inline = require("scriptcontract.inline")
  local run = require("scriptcontract.run")
  local bufnr = h.open(vim.env.SCRIPTCONTRACT_TEST_WORKSPACE .. "/scripts/hello.py")
  local function marks()
    local out = {}
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, inline.ns, 0, -1, { details = true })) do
      table.insert(out, { line = mark[2], text = mark[4].virt_text[1][1], hl = mark[4].virt_text[1][2] })
    end
    return out
  end
  local function run_and_wait(inputs)
    local done = false
    run.run(bufnr, { inputs = inputs }, function()
      done = true
    end)
    h.wait("the run's answer", function()
      return done
    end, 30000)
  end

  h.facts.hints_enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr })
  run_and_wait({ name = "Ada" })
  h.wait("the outcome beside the entry line", function()
    return #marks() > 0
  end)
  h.facts.shown = marks()
  h.facts.server_hints = h.inlay_hints(bufnr)

  -- An edit of another line keeps it (moved with its line).
  vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { "# a comment above" })
  h.round_trip(bufnr)
  vim.wait(100) -- the plugin looks at the marks once the change is done (vim.schedule)
  h.facts.after_other_edit = marks()

  -- An edit of its line takes it away.
  local line = h.facts.after_other_edit[1].line
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, { text .. "  # edited" })
  h.wait("the outcome to go with its line's edit", function()
    return #marks() == 0
  end, 2000)
  h.facts.after_line_edit = marks()

  -- A run shows it again; the next run takes it away at once (a failure leaves none).
  vim.api.nvim_buf_set_lines(bufnr, 0, 1, false, {})
  vim.api.nvim_buf_set_lines(bufnr, line - 1, line, false, { text })
  run_and_wait({ name = "Grace" })
  h.wait("the second outcome", function()
    return #marks() > 0
  end)
  h.facts.second = marks()
  local done = false
  run.run(bufnr, { inputs = { name = "Linus" } }, function()
    done = true
  end)
  h.facts.during_next_run = marks()
  h.wait("the third run's answer", function()
    return done
  end, 30000)
  h.wait("the third outcome", function()
    return #marks() > 0
  end)

  -- With the lenses left to the user, no lens says the outcome: the whole hint does.
  require("scriptcontract").setup({ cmd = h.server_cmd(), codelens = false })
  run_and_wait({ name = "Lensless" })
  h.wait("the outcome without lenses", function()
    local shown = marks()
    return #shown > 0 and shown[1].text:find("Lensless", 1, true) ~= nil
  end)
  h.facts.without_lenses = marks()
  require("scriptcontract").setup({ cmd = h.server_cmd(), codelens = true })

  -- Off: no virtual text after a run that succeeded (the server's hint is there).
  require("scriptcontract").setup({ cmd = h.server_cmd(), inline_result = false })
  run_and_wait({ name = "Off" })
  h.wait("the server's hint of the run", function()
    local hints = h.inlay_hints(bufnr)
    return #hints > 0 and hints[1].label:find("Off", 1, true) ~= nil
  end)
  h.facts.when_off = marks()

  -- With inlay hints on, Neovim shows the server's hint: no second copy.
  require("scriptcontract").setup({ cmd = h.server_cmd(), inline_result = true })
  vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  run_and_wait({ name = "Hints" })
  h.wait("the server's hint of the run", function()
    local hints = h.inlay_hints(bufnr)
    return #hints > 0 and hints[1].label:find("Hints", 1, true) ~= nil
  end)
  h.facts.with_inlay_hints = marks()
end
