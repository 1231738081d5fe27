-- A `bin/scriptcontract` a run could have planted in the project, with the project's `bin` on
-- PATH (direnv's `PATH_add bin`): Neovim does not start it, and says how to name the command.
-- The control: the very same program in a folder outside the project is started.
return function(h)
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local server = h.server_cmd()
  table.remove(server) -- "serve": the plugin's cmd passes it
  local function plant(folder)
    vim.fn.mkdir(folder, "p")
    local program = folder .. "/scriptcontract"
    local marker = folder .. "/started"
    local quoted = vim.tbl_map(vim.fn.shellescape, server)
    vim.fn.writefile({
      "#!/bin/sh",
      "echo started > " .. vim.fn.shellescape(marker),
      "exec " .. table.concat(quoted, " ") .. ' "$@"',
    }, program)
    vim.fn.setfperm(program, "rwxr-xr-x")
    return marker
  end
  local original_path = vim.env.PATH
  local planted = plant(workspace .. "/bin")
  vim.env.PATH = workspace .. "/bin:" .. original_path
  require("scriptcontract").setup({})
  vim.cmd("edit " .. vim.fn.fnameescape(workspace .. "/scripts/hello.py"))
  h.wait_notification("not started, PATH finds it")
  vim.cmd("ScriptContractRun {}")
  h.facts.refused_clients = #vim.lsp.get_clients({ bufnr = 0 })
  h.facts.planted_started = vim.fn.filereadable(planted) == 1

  -- The control: outside the project, the same program is what Neovim starts.
  local outside = vim.fn.fnamemodify(vim.fn.tempname(), ":p") .. "-tools"
  local marker = plant(outside)
  vim.env.PATH = outside .. ":" .. original_path
  h.open(workspace .. "/scripts/create_ticket.py")
  h.facts.outside_started = vim.fn.filereadable(marker) == 1
  h.facts.planted_started_after = vim.fn.filereadable(planted) == 1

  -- A root or current folder that is the home folder is no project: what lies below it on
  -- PATH (~/.local/bin) is started; the control: the same folder as the project is refused.
  local server_cmd = require("scriptcontract.server_cmd")
  vim.env.HOME = vim.fn.fnamemodify(outside, ":h")
  h.facts.below_home = server_cmd.refusal({ "scriptcontract", "serve" }, { vim.env.HOME })
  h.facts.below_home_as_project = server_cmd.refusal({ "scriptcontract", "serve" }, { outside })
end
